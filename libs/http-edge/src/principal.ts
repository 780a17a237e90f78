import type { Request } from 'express';
import type { Role } from '@mgov/auth';

/** Who a verified credential speaks for. */
export interface Principal {
  /** The actor id in every command: the API key's name, or the token's `sub`. */
  readonly id: string;
  readonly roles: readonly Role[];
  readonly via: 'api-key' | 'jwt';
  readonly keyId?: string;
}

/** The principal of an admitted request and the role that satisfied the route. */
export interface RequestAccess {
  readonly principal: Principal;
  readonly role: Role;
}

const ACCESS = Symbol('mgov.access');
type WithAccess = Request & { [ACCESS]?: RequestAccess };

export function admit(request: Request, access: RequestAccess): void {
  (request as WithAccess)[ACCESS] = access;
}

/** The access the guard granted, or undefined on a public route. */
export function accessOf(request: Request): RequestAccess | undefined {
  return (request as WithAccess)[ACCESS];
}
