// The wire format shared by every transport, validated on arrival on both sides.
import { z } from 'zod';
import { ApiErrorShape } from '../errors';

const Id = z.number().int().nonnegative();

export const ClientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: Id, method: z.string().max(100), input: z.unknown() }),
  z.object({ t: z.literal('sub'), id: Id, stream: z.string().max(100), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: Id }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: Id, output: z.unknown() }),
  z.object({ t: z.literal('error'), id: Id, error: ApiErrorShape }),
  z.object({ t: z.literal('event'), id: Id, event: z.unknown() }),
  z.object({ t: z.literal('end'), id: Id, error: ApiErrorShape.optional() }),
  /** An envelope that could not be read: the id is unknown, so it is reported on its own. */
  z.object({ t: z.literal('rejected'), error: ApiErrorShape }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
