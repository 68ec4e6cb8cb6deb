/**
 * The policy actions of IAM (Keystone v3, AK/SK credentials, custom policies): each with what it allows, its scope and the operations (method,
 * path) it covers. Routes name them in `act()`; the route-table test checks the operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

/** The identity pages' operations, at both doors that show them: the Customer Portal and the Console's IAM section. */
const pages = (...ops: string[]) =>
  ops.flatMap((op) => {
    const [method, path] = op.split(' ');
    return [`${method} /store/portal${path}`, `${method} /console/iam${path}`];
  });

export const iamActions = defineActions('iam', {
  'tokens:get': {
    description: "Validate another user's token (one's own needs no action)",
    scope: 'domain',
    operations: ['GET /iam/v3/auth/tokens', 'HEAD /iam/v3/auth/tokens'],
  },
  'tokens:delete': {
    description: "Revoke another user's token (one's own needs no action)",
    scope: 'domain',
    operations: ['DELETE /iam/v3/auth/tokens'],
  },
  'users:create': {
    description: 'Create users',
    scope: 'domain',
    operations: ['POST /iam/v3/users', ...pages('POST /users')],
  },
  'users:list': {
    description: 'List users',
    scope: 'domain',
    operations: ['GET /iam/v3/users', ...pages('GET /users')],
  },
  'users:get': {
    description: 'Show users',
    scope: 'domain',
    operations: [
      'GET /iam/v3/users/{user_id}',
      'GET /iam/v3/users/{user_id}/groups',
      'GET /iam/v3/users/{user_id}/projects',
      ...pages('GET /users/{user_id}'),
    ],
  },
  'users:update': {
    description: 'Change users',
    scope: 'domain',
    operations: [
      'PATCH /iam/v3/users/{user_id}',
      ...pages('POST /users/{user_id}', 'POST /users/{user_id}/password', 'POST /users/{user_id}/enable', 'POST /users/{user_id}/disable'),
    ],
  },
  'users:delete': {
    description: 'Delete users',
    scope: 'domain',
    operations: ['DELETE /iam/v3/users/{user_id}', ...pages('POST /users/{user_id}/delete')],
  },
  'groups:create': {
    description: 'Create groups',
    scope: 'domain',
    operations: ['POST /iam/v3/groups', ...pages('POST /groups')],
  },
  'groups:list': {
    description: 'List groups',
    scope: 'domain',
    operations: ['GET /iam/v3/groups', ...pages('GET /groups')],
  },
  'groups:get': {
    description: 'Show groups',
    scope: 'domain',
    operations: [
      'GET /iam/v3/groups/{group_id}',
      'GET /iam/v3/groups/{group_id}/users',
      'HEAD /iam/v3/groups/{group_id}/users/{user_id}',
      'GET /iam/v3/groups/{group_id}/users/{user_id}',
      ...pages('GET /groups/{group_id}'),
    ],
  },
  'groups:update': {
    description: 'Change groups',
    scope: 'domain',
    operations: [
      'PATCH /iam/v3/groups/{group_id}',
      'PUT /iam/v3/groups/{group_id}/users/{user_id}',
      'DELETE /iam/v3/groups/{group_id}/users/{user_id}',
      ...pages(
        'POST /users/{user_id}/groups',
        'POST /users/{user_id}/groups/{group_id}/remove',
        'POST /groups/{group_id}/members',
        'POST /groups/{group_id}/members/{user_id}/remove',
      ),
    ],
  },
  'groups:delete': {
    description: 'Delete groups',
    scope: 'domain',
    operations: ['DELETE /iam/v3/groups/{group_id}', ...pages('POST /groups/{group_id}/delete')],
  },
  'projects:create': {
    description: 'Create projects',
    scope: 'domain',
    operations: ['POST /iam/v3/projects'],
  },
  'projects:list': {
    description: 'List projects',
    scope: 'domain',
    operations: ['GET /iam/v3/projects'],
  },
  'projects:get': {
    description: 'Show projects',
    scope: 'domain',
    operations: ['GET /iam/v3/projects/{project_id}'],
  },
  'projects:update': {
    description: 'Change projects',
    scope: 'domain',
    operations: ['PATCH /iam/v3/projects/{project_id}'],
  },
  'projects:delete': {
    description: 'Delete projects',
    scope: 'domain',
    operations: ['DELETE /iam/v3/projects/{project_id}'],
  },
  'domains:create': {
    description: 'Create domains',
    scope: 'operator',
    refusal: 'Only the cloud operator creates accounts.',
    operations: ['POST /iam/v3/domains'],
  },
  'domains:list': {
    description: 'List domains',
    scope: 'domain',
    operations: ['GET /iam/v3/domains'],
  },
  'domains:get': {
    description: 'Show domains',
    scope: 'domain',
    operations: ['GET /iam/v3/domains/{domain_id}'],
  },
  'domains:update': {
    description: 'Change domains',
    scope: 'operator',
    refusal: 'Only the cloud operator changes accounts.',
    operations: ['PATCH /iam/v3/domains/{domain_id}'],
  },
  'domains:delete': {
    description: 'Delete domains',
    scope: 'operator',
    refusal: 'Only the cloud operator deletes accounts.',
    operations: ['DELETE /iam/v3/domains/{domain_id}'],
  },
  'roles:create': {
    description: 'Create roles',
    scope: 'domain',
    operations: ['POST /iam/v3/roles'],
  },
  'roles:list': {
    description: 'List roles',
    scope: 'domain',
    operations: ['GET /iam/v3/roles'],
  },
  'roles:get': {
    description: 'Show roles',
    scope: 'domain',
    operations: ['GET /iam/v3/roles/{role_id}'],
  },
  'roles:update': {
    description: 'Change roles',
    scope: 'domain',
    operations: ['PATCH /iam/v3/roles/{role_id}'],
  },
  'roles:delete': {
    description: 'Delete roles',
    scope: 'domain',
    operations: ['DELETE /iam/v3/roles/{role_id}'],
  },
  'assignments:list': {
    description: 'List assignments',
    scope: 'domain',
    operations: [
      'GET /iam/v3/projects/{target_id}/users/{actor_id}/roles',
      'GET /iam/v3/projects/{target_id}/groups/{actor_id}/roles',
      'GET /iam/v3/domains/{target_id}/users/{actor_id}/roles',
      'GET /iam/v3/domains/{target_id}/groups/{actor_id}/roles',
      'GET /iam/v3/role_assignments',
    ],
  },
  'assignments:create': {
    description: 'Create assignments',
    scope: 'domain',
    operations: [
      'PUT /iam/v3/projects/{target_id}/users/{actor_id}/roles/{role_id}',
      'PUT /iam/v3/projects/{target_id}/groups/{actor_id}/roles/{role_id}',
      'PUT /iam/v3/domains/{target_id}/users/{actor_id}/roles/{role_id}',
      'PUT /iam/v3/domains/{target_id}/groups/{actor_id}/roles/{role_id}',
      ...pages('POST /users/{user_id}/roles', 'POST /groups/{group_id}/roles'),
    ],
  },
  'assignments:get': {
    description: 'Check one role assignment, or list the roles of a user or group on a project or domain',
    scope: 'domain',
    operations: [
      'GET /iam/v3/projects/{target_id}/users/{actor_id}/roles/{role_id}',
      'HEAD /iam/v3/projects/{target_id}/users/{actor_id}/roles/{role_id}',
      'GET /iam/v3/projects/{target_id}/groups/{actor_id}/roles/{role_id}',
      'HEAD /iam/v3/projects/{target_id}/groups/{actor_id}/roles/{role_id}',
      'GET /iam/v3/domains/{target_id}/users/{actor_id}/roles/{role_id}',
      'HEAD /iam/v3/domains/{target_id}/users/{actor_id}/roles/{role_id}',
      'GET /iam/v3/domains/{target_id}/groups/{actor_id}/roles/{role_id}',
      'HEAD /iam/v3/domains/{target_id}/groups/{actor_id}/roles/{role_id}',
    ],
  },
  'assignments:delete': {
    description: 'Delete assignments',
    scope: 'domain',
    operations: [
      'DELETE /iam/v3/projects/{target_id}/users/{actor_id}/roles/{role_id}',
      'DELETE /iam/v3/projects/{target_id}/groups/{actor_id}/roles/{role_id}',
      'DELETE /iam/v3/domains/{target_id}/users/{actor_id}/roles/{role_id}',
      'DELETE /iam/v3/domains/{target_id}/groups/{actor_id}/roles/{role_id}',
      ...pages('POST /users/{user_id}/roles/revoke', 'POST /groups/{group_id}/roles/revoke'),
    ],
  },
  'credentials:list': {
    description: 'List credentials',
    scope: 'domain',
    operations: [
      'GET /iam/v3/credentials',
      'GET /iam/v3.0/OS-CREDENTIAL/credentials',
      'GET /iam/v3/users/{user_id}/credentials/OS-EC2',
      ...pages('GET /credentials'),
    ],
  },
  'credentials:get': {
    description: 'Show credentials',
    scope: 'domain',
    operations: [
      'GET /iam/v3/credentials/{access}',
      'GET /iam/v3.0/OS-CREDENTIAL/credentials/{access}',
      'GET /iam/v3/users/{user_id}/credentials/OS-EC2/{access}',
    ],
  },
  'credentials:create': {
    description: "Create an access key for another user of the account (one's own needs no action)",
    scope: 'domain',
    operations: [
      'POST /iam/v3.0/OS-CREDENTIAL/credentials',
      'POST /iam/v3/users/{user_id}/credentials/OS-EC2',
      ...pages('POST /credentials'),
    ],
  },
  'credentials:update': {
    description: 'Change credentials',
    scope: 'domain',
    operations: [
      'PUT /iam/v3.0/OS-CREDENTIAL/credentials/{access}',
      ...pages('POST /credentials/{access}/enable', 'POST /credentials/{access}/disable'),
    ],
  },
  'credentials:delete': {
    description: 'Delete credentials',
    scope: 'domain',
    operations: [
      'DELETE /iam/v3.0/OS-CREDENTIAL/credentials/{access}',
      'DELETE /iam/v3/users/{user_id}/credentials/OS-EC2/{access}',
      ...pages('POST /credentials/{access}/delete'),
    ],
  },
  'policies:create': {
    description: 'Create policies',
    scope: 'domain',
    operations: ['POST /iam/v3.0/OS-ROLE/roles', ...pages('POST /policies')],
  },
  'policies:list': {
    description: 'List policies',
    scope: 'domain',
    operations: ['GET /iam/v3.0/OS-ROLE/roles', ...pages('GET /policies')],
  },
  'policies:get': {
    description: 'Show policies',
    scope: 'domain',
    operations: ['GET /iam/v3.0/OS-ROLE/roles/{role_id}'],
  },
  'policies:update': {
    description: 'Change policies',
    scope: 'domain',
    operations: ['PATCH /iam/v3.0/OS-ROLE/roles/{role_id}'],
  },
  'policies:delete': {
    description: 'Delete policies',
    scope: 'domain',
    operations: ['DELETE /iam/v3.0/OS-ROLE/roles/{role_id}', ...pages('POST /policies/{policy_id}/delete')],
  },
});
