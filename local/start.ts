/**
 * `npm start`: the whole cloud on http://127.0.0.1:8787 (PORT overrides), state under ./.data (FE_DATA_DIR
 * overrides). First start bootstraps the catalogue and the operator and demo accounts; every start prints the
 * URLs and credentials and (re)writes clouds.yaml, the openrc files and the AK/SK pairs.
 */
import { type LocalUser, writeClientFiles } from './client-files.ts';
import { startCloud } from './cloud.ts';
import { dataDir, loadState, saveState } from './state.ts';

const REGION = 'eu-west-0';
const ACCOUNTS = [
  {
    cloud: 'local-admin',
    domain: 'operator',
    user: 'te_admin',
    operator: true,
    password: (s: ReturnType<typeof loadState>) => s.passwords.admin,
    env: 'FE_ADMIN_PASSWORD',
  },
  {
    cloud: 'local-demo',
    domain: 'demo',
    user: 'demo',
    operator: false,
    password: (s: ReturnType<typeof loadState>) => s.passwords.demo,
    env: 'FE_DEMO_PASSWORD',
  },
];

interface Bootstrapped {
  accounts: {
    domain: string;
    user: string;
    userId: string;
    projects: { id: string; name: string }[];
    credential?: { access: string; secret: string };
  }[];
}

/**
 * wrangler.toml's vars overridden from the environment: `FE_VAR_CES_COLLECT_MS=5000 npm start` samples guests every
 * 5 s instead of every minute (the end-to-end suites shorten Cloud Eye's and Auto Scaling's clocks this way).
 */
function varOverrides(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).flatMap(([k, v]) => (k.startsWith('FE_VAR_') && v !== undefined ? [[k.slice('FE_VAR_'.length), v]] : [])),
  );
}

async function main() {
  const started = Date.now();
  const dir = dataDir();
  const state = loadState(dir);
  const port = Number(process.env.PORT || 8787);
  const obsPort = Number(process.env.OBS_PORT || (port === 0 ? 0 : port + 1));
  const cloud = await startCloud({ dataDir: dir, port, obsPort, secrets: state.secrets, vars: varOverrides() });
  const res = await fetch(`${cloud.url}/internal/bootstrap`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${state.secrets.BOOTSTRAP_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      accounts: ACCOUNTS.map((a) => ({
        domain: a.domain,
        user: a.user,
        password: a.password(state),
        operator: a.operator,
        forcePassword: Boolean(process.env[a.env]),
        rotateCredential: !state.credentials[a.cloud],
      })),
    }),
  });
  if (!res.ok) throw new Error(`bootstrap failed: ${res.status} ${await res.text()}`);
  const { accounts } = (await res.json()) as Bootstrapped;
  accounts.forEach((a, i) => {
    if (a.credential) state.credentials[ACCOUNTS[i]!.cloud] = a.credential;
  });
  saveState(dir, state);
  const authUrl = `${cloud.url}/iam/v3`;
  const users: LocalUser[] = ACCOUNTS.map((a) => ({
    cloud: a.cloud,
    domain: a.domain,
    user: a.user,
    password: a.password(state),
    project: REGION,
    credential: state.credentials[a.cloud],
  }));
  const files = writeClientFiles(dir, authUrl, cloud.obsUrl, REGION, users);
  const lines = [
    '',
    `Flexible Engine local cloud ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    '',
    `  API (one origin)   ${cloud.url}`,
    `  Identity (v3)      ${authUrl}`,
    `  Token keys (JWKS)  ${authUrl}/auth/keys`,
    `  OBS (S3 endpoint)  ${cloud.obsUrl}   (path style; buckets also as {bucket}.oss.${REGION}.{domain})`,
    `  Cloud Store        ${cloud.url}/store   (services, prices, the price calculator)`,
    `  Console            ${cloud.url}/console   (sign in with an account, user and password below)`,
    '',
    ...users.flatMap((u) => [
      `  ${u.cloud.padEnd(12)} domain ${u.domain}, user ${u.user}, password ${u.password}`,
      `  ${''.padEnd(12)} AK ${u.credential?.access ?? '-'}  SK ${u.credential?.secret ?? '-'}`,
    ]),
    '',
    `  clouds.yaml        ${files.cloudsYaml}   (OS_CLIENT_CONFIG_FILE=${files.cloudsYaml} openstack --os-cloud local-demo token issue)`,
    `  openrc             ${files.openrcs.join(', ')}`,
    `  AK/SK (AWS format) ${files.awsCredentials}`,
    `  S3 clients         AWS_CONFIG_FILE=${files.awsConfig} AWS_SHARED_CREDENTIALS_FILE=${files.awsCreds} aws --profile demo --endpoint-url ${cloud.obsUrl} s3 ls`,
    `                     s3cmd -c ${files.s3cfgs.find((f) => f.endsWith('demo')) ?? files.s3cfgs[0]} ls    rclone --config ${files.rcloneConf} lsd demo:`,
    `  state              ${dir}   (npm run reset wipes it)`,
    '',
  ];
  console.log(lines.join('\n'));
  const stop = async () => {
    await cloud.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
