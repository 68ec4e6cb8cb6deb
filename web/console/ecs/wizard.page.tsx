/**
 * The server create wizard: one form over what the project may choose (zone, flavor, image, VPC subnet, security
 * groups, key pair, EIP new or existing, auto-recovery, user data, how many), read by the offer use case, and
 * submitted to the create use case (workers/ecs/usecases/create.ts) as the native API submits it: a system disk
 * made from the image, the primary NIC in the subnet, the EIP on it. The refusals show next to their field.
 */
import { z } from 'zod';
import { type BlockDevice, type CreateRequest, createServers } from '../../../workers/ecs/usecases/create.ts';
import { type CreateOffer, createOffer, offeredSubnet } from '../../../workers/ecs/usecases/offer.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { Check, ConsolePage, done, type Failure, Field, Form, f, fieldError, form, Select } from '../kit.tsx';
import { CONSOLE_WORDS } from './words.ts';

const MAX_USER_DATA = 32 * 1024;
const DISK_TYPES = ['SATA', 'SAS', 'SSD'] as const;

const empty = (v: unknown) => v === '' || v === undefined;
/** A number field that may be left empty, then `fallback`. */
const intOr = (what: string, min: number, max: number, fallback: number) =>
  z.preprocess((v) => (empty(v) ? fallback : v), f.int(what, min, max));
/** A number field that may be left empty, then absent. */
const intOpt = (what: string, min: number, max: number) =>
  z.preprocess((v) => (empty(v) ? undefined : v), f.int(what, min, max).optional());

const choice = (message: string) => z.string({ error: message }).trim().min(1, message);

/** The wizard's fields, as the form posts them. */
export const wizardSchema = z.object({
  name: f
    .text('a name')
    .pipe(z.string().max(64, 'A name is at most 64 characters.'))
    .pipe(z.string().regex(/^[\p{L}\p{N}_.-]+$/u, 'Use letters, digits, underscores, hyphens and periods only.')),
  zone: f.optional(),
  flavor: choice('Choose a flavor.'),
  image: choice('Choose an image.'),
  subnet: choice('Choose a VPC and subnet.'),
  security_groups: f.list(),
  keypair: f.optional(),
  admin_pass: f.optional(),
  eip: f.optional(),
  bandwidth: intOr('the bandwidth', 1, 1000, 5),
  disk_type: z.enum(DISK_TYPES, { error: 'Choose a disk type.' }).default('SATA'),
  disk_size: intOpt('the system disk size', 40, 1024),
  auto_recovery: f.check(),
  user_data: f
    .optional()
    .refine((t) => !t || new TextEncoder().encode(t).length <= MAX_USER_DATA, `User data is at most ${MAX_USER_DATA} bytes.`),
  count: intOr('the number of servers', 1, 100, 1),
});
type Wizard = z.output<typeof wizardSchema>;

/** Base64 of a text's UTF-8 bytes (user data travels base64-encoded, as in the APIs). */
function base64(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The EIP the server gets: none, a new one with its own bandwidth, or one of the project's unbound ones. */
function publicIpOf(w: Wizard) {
  if (!w.eip) return undefined;
  if (w.eip === 'new')
    return { eip: { type: '5_bgp', bandwidth: { size: w.bandwidth, shareType: 'PER' as const, chargeMode: 'traffic' as const } } };
  return { id: w.eip };
}

/** The create request of a filled wizard, as the native API would make it. */
async function requestOf(c: AppContext, w: Wizard): Promise<CreateRequest> {
  const subnet = await offeredSubnet(callerOf(c), w.subnet);
  if (!subnet) fieldError('subnet', 'Choose a subnet of one of your VPCs.');
  if (w.eip && w.eip !== 'new' && w.count > 1)
    fieldError('eip', 'An existing EIP goes to one server: create one server, or choose a new EIP.');
  const root: BlockDevice = {
    source: 'image',
    uuid: w.image,
    bootIndex: 0,
    size: w.disk_size,
    volumeType: w.disk_type,
    deleteOnTermination: true,
  };
  return {
    flavorRef: w.flavor,
    imageRef: w.image,
    rootDiskGb: w.disk_size,
    blockDevices: [root],
    availabilityZone: w.zone,
    count: { min: w.count, max: w.count },
    hints: {},
    each: (i, n) => ({ name: n > 1 ? `${w.name}-${String(i + 1).padStart(4, '0')}` : w.name }),
    server: {
      nics: [{ networkId: subnet.id }],
      securityGroups: w.security_groups,
      keyName: w.keypair,
      userData: w.user_data ? base64(w.user_data) : null,
      adminPass: w.admin_pass ?? null,
      metadata: {},
      autoRecovery: w.auto_recovery,
      tags: [],
    },
    network: { vpcId: subnet.vpcId, nics: [{ subnetId: subnet.id }], publicIp: publicIpOf(w) },
  };
}

/** The wizard's POST: creates the servers and goes to the list, where they appear in BUILD. */
export const createHandler = form(
  wizardSchema,
  async (c, w) => {
    const { servers } = await createServers(callerOf(c), await requestOf(c, w), CONSOLE_WORDS);
    const what =
      servers.length > 1
        ? `${servers.length} servers ${w.name}-0001 to -${String(servers.length).padStart(4, '0')} are`
        : `Server ${w.name} is`;
    return done(c, '/console/ecs/servers', `${what} being created.`);
  },
  (c, failure) => renderWizard(c, failure),
);

const label = (name: string | null | undefined, id: string) => (name ? `${name} (${id.slice(0, 8)})` : id);

/** The choices of the wizard's selects, from the offer. */
function options(o: CreateOffer) {
  const vpcName = (id: string) => o.vpcs.find((v) => v.id === id)?.name ?? id;
  return {
    zones: o.zones.map((z) => ({ value: z, label: z })),
    flavors: o.flavors.map((x) => ({ value: x.id, label: `${x.name}: ${x.vcpus} vCPU, ${x.ramMb / 1024} GB` })),
    images: o.images.map((i) => ({ value: i.id, label: `${i.name} (min. ${i.minDiskGb} GB disk)` })),
    subnets: o.subnets.map((s) => ({ value: s.id, label: `${vpcName(s.vpcId)} / ${s.name} (${s.cidr})` })),
    groups: o.securityGroups.map((g) => ({ value: g.id, label: label(g.name, g.id) })),
    keypairs: o.keypairs.map((k) => ({ value: k.name, label: k.name })),
    eips: [{ value: 'new', label: 'A new EIP' }, ...o.freeEips.map((e) => ({ value: e.id, label: `Existing: ${e.address ?? e.id}` }))],
  };
}

/** What the quota leaves, in words (a negative limit is none). */
function room(o: CreateOffer): string {
  const { limits: l, usage: u } = o.quota;
  const left = (k: keyof typeof l) => (l[k] < 0 ? 'unlimited' : String(l[k] - u[k]));
  return `Quota left: ${left('instances')} servers, ${left('cores')} vCPUs, ${left('ram')} MB of memory.`;
}

/** The wizard page, empty or with a failure's values and message. */
export async function renderWizard(c: AppContext, failure?: Failure) {
  const offer = await createOffer(callerOf(c));
  const o = options(offer);
  return c.html(
    <ConsolePage c={c} title="Create a server" section="ecs">
      <h1>Create a server</h1>
      <p>
        <a href="/console/ecs/servers">Back to the servers</a>
      </p>
      <p class="hint">{room(offer)}</p>
      {offer.subnets.length === 0 && (
        <p role="status">
          This project has no VPC subnet yet: <a href="/console/vpc/vpcs">create a VPC and a subnet</a> first.
        </p>
      )}
      <Form c={c} action="/console/ecs/servers" submit="Create" failure={failure} id="create-server" label="Create a server">
        <Field name="name" label="Name" failure={failure} required hint="Several servers get -0001, -0002, ... after it." />
        <Select name="zone" label="Availability zone" options={o.zones} failure={failure} none="Any zone" />
        <Select name="flavor" label="Flavor" options={o.flavors} failure={failure} none="Choose a flavor" required />
        <Select name="image" label="Image" options={o.images} failure={failure} none="Choose an image" required />
        <Select
          name="disk_type"
          label="System disk type"
          options={DISK_TYPES.map((t) => ({ value: t, label: t }))}
          failure={failure}
          value="SATA"
        />
        <Field
          name="disk_size"
          label="System disk size (GB)"
          type="number"
          min={40}
          max={1024}
          failure={failure}
          hint="Empty: the image's minimum."
        />
        <Select name="subnet" label="VPC and subnet" options={o.subnets} failure={failure} none="Choose a subnet" required />
        <Select
          name="security_groups"
          label="Security groups"
          options={o.groups}
          failure={failure}
          multiple
          hint="None chosen: the default group."
        />
        <Select name="keypair" label="Key pair" options={o.keypairs} failure={failure} none="No key pair" />
        <Field
          name="admin_pass"
          label="Administrator password"
          type="password"
          failure={failure}
          hint="Optional when a key pair is chosen."
        />
        <Select name="eip" label="Elastic IP" options={o.eips} failure={failure} none="No EIP" />
        <Field name="bandwidth" label="Bandwidth of a new EIP (Mbit/s)" type="number" min={1} max={1000} value={5} failure={failure} />
        <Check name="auto_recovery" label="Auto-recovery: rebuild it on another host if its host fails" checked failure={failure} />
        <Field name="user_data" label="User data" multiline failure={failure} hint="A script or cloud-init file run at first boot." />
        <Field name="count" label="How many servers" type="number" min={1} max={100} value={1} failure={failure} required />
      </Form>
    </ConsolePage>,
  );
}
