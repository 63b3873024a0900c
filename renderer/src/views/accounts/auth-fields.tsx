// Form fields the sign-in steps, the lock screen and the step-up dialog share: a new password typed
// twice, and a second-factor code (authenticator or recovery code).

/** A new password (at least 12 characters) and its repetition. */
export function NewPasswordFields(props: {
  label: string;
  repeatLabel: string;
  name: string;
  password: string;
  repeat: string;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  return (
    <>
      <label>
        {props.label}
        <input
          name={props.name}
          type="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          required
          minLength={12}
        />
      </label>
      <label>
        {props.repeatLabel}
        <input
          name="repeatPassword"
          type="password"
          autoComplete="new-password"
          value={props.repeat}
          onChange={(e) => props.onRepeat(e.target.value)}
          required
        />
      </label>
    </>
  );
}

/** A 6-digit authenticator code, or a recovery code in its place. */
export function SecondFactorField(props: {
  useRecovery: boolean;
  code: string;
  onCode: (value: string) => void;
  label?: string;
  recoveryLabel?: string;
}) {
  return (
    <label>
      {props.useRecovery ? (props.recoveryLabel ?? 'Recovery code') : (props.label ?? '6-digit code')}
      <input
        name={props.useRecovery ? 'recoveryCode' : 'otp'}
        value={props.code}
        onChange={(e) => props.onCode(e.target.value)}
        inputMode={props.useRecovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        autoFocus
        required
      />
    </label>
  );
}
