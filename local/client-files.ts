/**
 * Files the local cloud writes for its users: clouds.yaml, an openrc per user, AWS-format AK/SK pairs, and the
 * S3 clients' settings for the OBS endpoint (AWS config and credentials, s3cmd, rclone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
export function writeClientFiles(dir: string, authUrl: string, obsUrl: string, region: string, users: LocalUser[]) {
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
  return { cloudsYaml, openrcs, awsCredentials, ...writeS3ClientFiles(dir, obsUrl, region, users) };
}

/** The profile name S3 clients use for a local user: `demo` for the demo account, else the cloud name. */
const profileOf = (u: LocalUser) => (u.cloud === 'local-demo' ? 'demo' : u.cloud);

/**
 * AWS `config` and `credentials` (profile `demo`: path-style addressing and the endpoint, which aws CLI 2.13+
 * and the SDKs read; older CLIs take `--endpoint-url`), an s3cmd config and an rclone remote, per user with keys.
 */
function writeS3ClientFiles(dir: string, obsUrl: string, region: string, users: LocalUser[]) {
  const withKeys = users.filter((u) => u.credential);
  const awsDir = join(dir, 'aws');
  mkdirSync(awsDir, { recursive: true });
  const awsConfig = join(awsDir, 'config');
  const awsCreds = join(awsDir, 'credentials');
  writeFileSync(
    awsConfig,
    withKeys
      .map((u) => {
        const section = profileOf(u) === 'default' ? '[default]' : `[profile ${profileOf(u)}]`;
        return `${section}\nregion = ${region}\nendpoint_url = ${obsUrl}\ns3 =\n    addressing_style = path\n`;
      })
      .join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(
    awsCreds,
    withKeys
      .map((u) => `[${profileOf(u)}]\naws_access_key_id = ${u.credential!.access}\naws_secret_access_key = ${u.credential!.secret}\n`)
      .join('\n'),
    { mode: 0o600 },
  );
  const hostPort = obsUrl.replace(/^https?:\/\//, '');
  const s3cfgs = withKeys.map((u) => {
    const file = join(dir, `s3cfg-${profileOf(u)}`);
    const lines = [
      '[default]',
      `access_key = ${u.credential!.access}`,
      `secret_key = ${u.credential!.secret}`,
      `host_base = ${hostPort}`,
      `host_bucket = ${hostPort}`,
      `bucket_location = ${region}`,
      `use_https = ${obsUrl.startsWith('https') ? 'True' : 'False'}`,
      'signature_v2 = False',
    ];
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    return file;
  });
  const rcloneConf = join(dir, 'rclone.conf');
  writeFileSync(
    rcloneConf,
    withKeys
      .map((u) =>
        [
          `[${profileOf(u)}]`,
          'type = s3',
          'provider = Other',
          `access_key_id = ${u.credential!.access}`,
          `secret_access_key = ${u.credential!.secret}`,
          `endpoint = ${obsUrl}`,
          `region = ${region}`,
          'force_path_style = true',
          '',
        ].join('\n'),
      )
      .join('\n'),
    { mode: 0o600 },
  );
  return { awsConfig, awsCreds, s3cfgs, rcloneConf };
}
