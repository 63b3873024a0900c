// Declares a contract: methods and event streams, each described once by zod schemas.
import type { z } from 'zod';

export type Role = 'viewer' | 'operator' | 'admin';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** The least role that may call it (enforced by the server once accounts exist). */
  readonly role: Role;
  /** Mutating methods carry the caller's identity to the audit log. */
  readonly mutating?: boolean;
  /**
   * Which input fields name the host and the target in the audit log (defaults: `host`, none).
   * Field names, not functions, so the contract stays plain data.
   */
  readonly audit?: { readonly host?: string; readonly target?: string };
  /**
   * Hard to undo (kill, stop or disable a service, delete a file, commands on many hosts): when the
   * step-up policy is on, the caller must have confirmed with 2FA in the last few minutes.
   * `{ whenManyOf: 'hosts' }`: only when that array field of the input has more than one item.
   */
  readonly dangerous?: boolean | { readonly whenManyOf: string };
  readonly summary: string;
}

export interface StreamDef<P extends z.ZodType = z.ZodType, E extends z.ZodType = z.ZodType> {
  readonly params: P;
  readonly event: E;
  readonly role: Role;
  readonly summary: string;
}

export interface Contract {
  readonly methods: Record<string, MethodDef>;
  readonly streams: Record<string, StreamDef>;
}

export function defineContract<C extends Contract>(contract: C): C {
  return contract;
}

export type MethodName<C extends Contract> = keyof C['methods'] & string;
export type StreamName<C extends Contract> = keyof C['streams'] & string;
export type InputOf<C extends Contract, M extends MethodName<C>> = z.input<C['methods'][M]['input']>;
export type ParsedInputOf<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['input']>;
export type OutputOf<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['output']>;
export type ParamsOf<C extends Contract, S extends StreamName<C>> = z.input<C['streams'][S]['params']>;
export type ParsedParamsOf<C extends Contract, S extends StreamName<C>> = z.output<C['streams'][S]['params']>;
export type EventOf<C extends Contract, S extends StreamName<C>> = z.output<C['streams'][S]['event']>;

/**
 * Who is calling. Under `hyperion serve`: the signed-in account (id = user name) and the session or
 * access key the connection was opened with; in the desktop app: the workstation user as admin.
 */
export interface Caller {
  readonly id: string;
  readonly role: Role;
  readonly via: 'ipc' | 'websocket' | 'cli' | 'memory';
  readonly address?: string;
  /** What signed this connection in; checked again on every call (expiry, logout, revocation). */
  readonly credential?: { readonly kind: 'session' | 'key' | 'desktop'; readonly id: string };
}

/** Whether a call with this (validated) input needs a fresh step-up confirmation. */
export function isDangerousCall(def: Pick<MethodDef, 'dangerous'>, input: unknown): boolean {
  const rule = def.dangerous;
  if (!rule) return false;
  if (rule === true) return true;
  const value =
    input !== null && typeof input === 'object'
      ? (input as Record<string, unknown>)[rule.whenManyOf]
      : undefined;
  return Array.isArray(value) && value.length > 1;
}

const roleRank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
export function roleAllows(have: Role, need: Role): boolean {
  return roleRank[have] >= roleRank[need];
}
