/** Roles of admin tokens, from the least to the most trusted. */
export const ROLES = ['viewer', 'editor', 'sender', 'approver', 'owner'] as const;

/** A role of an admin token. */
export type Role = (typeof ROLES)[number];

/** What a role may do. */
export type Permission =
  | 'view'
  | 'export'
  | 'attendance'
  | 'faq'
  | 'content'
  | 'answer'
  | 'compose'
  | 'send'
  | 'approve'
  | 'tokens';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['view'],
  editor: ['view', 'export', 'attendance', 'faq', 'content', 'answer'],
  sender: ['view', 'compose', 'send'],
  approver: ['view', 'approve'],
  owner: [
    'view',
    'export',
    'attendance',
    'faq',
    'content',
    'answer',
    'compose',
    'send',
    'approve',
    'tokens',
  ],
};

/** True when the role grants the permission. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** True for a known role name. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
