// Login and registration forms: plain HTML forms that work without JavaScript.
// Errors sit next to their field; what was typed is kept, never the password.
import type { FieldErrors } from "../lib/errors.ts";

type Field = {
  name: string;
  label: string;
  type: "text" | "password";
  autocomplete: string;
  value?: string;
  hint?: string;
};

function FormField(props: Field & { error?: string; focus?: boolean }) {
  const described = [props.hint && `${props.name}-hint`, props.error && `${props.name}-error`]
    .filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <input
        id={props.name}
        name={props.name}
        type={props.type}
        autocomplete={props.autocomplete}
        value={props.type === "password" ? undefined : props.value}
        required
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
        autocapitalize={props.type === "text" ? "none" : undefined}
        spellcheck={false}
        autofocus={props.focus}
      />
      {props.hint && <p id={`${props.name}-hint`} class="hint">{props.hint}</p>}
      {props.error && <p id={`${props.name}-error`} class="field-error">{props.error}</p>}
    </div>
  );
}

export type FormState = { username?: string; errors?: FieldErrors; message?: string };

/** The cursor starts in Username, or after a failed submit in the first field in error. */
const focusOn = (props: FormState, order: string[]) =>
  order.find((name) => props.errors?.[name]) ?? "username";

export function LoginForm(props: FormState) {
  const focus = focusOn(props, ["username", "password"]);
  return (
    <main class="narrow auth">
      <h1>UgoChat</h1>
      <h2>Log in</h2>
      {props.message && <p class="form-error" role="alert">{props.message}</p>}
      <form method="post" action="/login" novalidate>
        <FormField
          name="username"
          label="Username"
          type="text"
          autocomplete="username"
          value={props.username}
          error={props.errors?.username}
          focus={focus === "username"}
        />
        <FormField
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          error={props.errors?.password}
          focus={focus === "password"}
        />
        <button type="submit" class="primary">Log in</button>
      </form>
      <p>
        New here? <a href="/register">Create account</a>
      </p>
    </main>
  );
}

export function RegisterForm(props: FormState) {
  const focus = focusOn(props, ["username", "password", "confirm"]);
  return (
    <main class="narrow auth">
      <h1>UgoChat</h1>
      <h2>Create your account</h2>
      {props.message && <p class="form-error" role="alert">{props.message}</p>}
      <form method="post" action="/register" novalidate>
        <FormField
          name="username"
          label="Username"
          type="text"
          autocomplete="username"
          value={props.username}
          hint="3–32 characters: letters, digits, _ . -"
          error={props.errors?.username}
          focus={focus === "username"}
        />
        <FormField
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="At least 12 characters. A few words you will remember make a good one."
          error={props.errors?.password}
          focus={focus === "password"}
        />
        <FormField
          name="confirm"
          label="Confirm password"
          type="password"
          autocomplete="new-password"
          error={props.errors?.confirm}
          focus={focus === "confirm"}
        />
        <button type="submit" class="primary">Create account</button>
      </form>
      <p>
        Already have an account? <a href="/login">Log in</a>
      </p>
    </main>
  );
}
