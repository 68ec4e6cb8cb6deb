/** Files the local cloud writes for its users: clouds.yaml, an openrc per user, and AWS-format AK/SK pairs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface LocalUser {
  cloud: string;
  domain: string;
  user: string;
  password: string;
  project: string;
  credential?: { access: string; secret: string };
}

/** Writes clouds.yaml, openrc-<cloud>.sh and aws-credentials into the state folder; returns their paths. */
export function writeClientFiles(dir: string, authUrl: string, region: string, users: LocalUser[]) {
  const clouds = Object.fromEntries(
    users.map((u) => [
      u.cloud,
      {
        auth: {
          auth_url: authUrl,
          username: u.user,
          password: u.password,
          user_domain_name: u.domain,
          project_name: u.project,
          project_domain_name: u.domain,
        },
        region_name: region,
        interface: 'public',
        identity_api_version: 3,
      },
    ]),
  );
  const cloudsYaml = join(dir, 'clouds.yaml');
  writeFileSync(cloudsYaml, stringify({ clouds }), { mode: 0o600 });
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const openrcs = users.map((u) => {
    const file = join(dir, `openrc-${u.cloud}.sh`);
    const lines = [
      `# Source this file to use the local cloud as ${u.user} (${u.domain}).`,
      `export OS_AUTH_URL=${quote(authUrl)}`,
      'export OS_IDENTITY_API_VERSION=3',
      `export OS_USERNAME=${quote(u.user)}`,
      `export OS_PASSWORD=${quote(u.password)}`,
      `export OS_USER_DOMAIN_NAME=${quote(u.domain)}`,
      `export OS_PROJECT_NAME=${quote(u.project)}`,
      `export OS_PROJECT_DOMAIN_NAME=${quote(u.domain)}`,
      `export OS_REGION_NAME=${quote(region)}`,
      'export OS_INTERFACE=public',
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return file;
  });
  const awsCredentials = join(dir, 'aws-credentials');
  const profiles = users
    .filter((u) => u.credential)
    .map((u) => `[${u.cloud}]\naws_access_key_id = ${u.credential!.access}\naws_secret_access_key = ${u.credential!.secret}\n`);
  writeFileSync(awsCredentials, profiles.join('\n'), { mode: 0o600 });
  return { cloudsYaml, openrcs, awsCredentials };
}
