/**
 * The rules for user names and roles, shared by `steward user` and /manage/users.
 */
import { StewardError } from '../../model/errors.js';
import { ROLE_NAMES, isRole, type Role } from './authorize.js';

/** Names people log in with: letters, digits and . _ - @, starting with a letter or digit. */
const NAME_RE = /^[a-z0-9][a-z0-9._@-]{0,63}$/i;

/** The name in lower case (names are compared so), or a USAGE error saying what is allowed. */
export function checkUserName(name: string): string {
  if (!NAME_RE.test(name)) {
    throw new StewardError('USAGE', `user name "${name}" is not allowed`, {
      hint: 'Use 1 to 64 letters, digits, ".", "_", "-" or "@", starting with a letter or digit.',
    });
  }
  return name.toLowerCase();
}

/** The role, or a USAGE error naming the roles. */
export function checkRole(role: string | undefined, missing = 'give the role with --role'): Role {
  if (!role || !isRole(role)) {
    throw new StewardError('USAGE', role ? `unknown role "${role}"` : missing, { hint: `Roles: ${ROLE_NAMES.join(', ')}.` });
  }
  return role;
}
