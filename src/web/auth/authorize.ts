/** Who may do what: the decision lives in the service layer (service/authorize.ts), beside the report catalogue that names the action each report needs. */
export {
  ACTIONS,
  ROLES,
  ROLE_NAMES,
  authorize,
  isRole,
  type Action,
  type AuthUser,
  type Decision,
  type Resource,
  type Role,
} from '../../service/authorize.js';
