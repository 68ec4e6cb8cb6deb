/** Cinder's volumes through the EVS use cases: created `creating`, ready once `available`, gone once deleted. */
import { createVolumes, deleteVolume, listVolumes, volumeById } from '../../evs/usecases/volumes.ts';
import { gone, nameOf, type Plugin, str } from './plugin.ts';

const volume: Plugin = {
  actions: { create: 'evs:volumes:create', delete: 'evs:volumes:delete' },
  async create(caller, p, job) {
    const [v] = await createVolumes(caller, {
      name: nameOf(p, job),
      description: str(p.description) ?? null,
      size: p.size === undefined ? undefined : Number(p.size),
      volumeType: str(p.volume_type),
      availabilityZone: str(p.availability_zone),
      metadata: (p.metadata ?? {}) as Record<string, string>,
      multiattach: false,
      imageRef: str(p.image),
    });
    return { id: v!.id };
  },
  async find(caller, name) {
    const listed = (await listVolumes(caller)) as unknown as { volumes: { id: string; name: string; status: string }[] };
    return listed.volumes.find((v) => v.name === name && v.status !== 'deleting')?.id;
  },
  async ready(caller, id) {
    const v = await volumeById(caller, id);
    if (!v) return { failed: `Volume ${id} is gone` };
    if (v.status === 'error') return { failed: `Went to status error due to "Unknown"` };
    return v.status === 'creating' || v.status === 'downloading' ? 'pending' : 'ready';
  },
  async attributes(caller, id) {
    const v = await volumeById(caller, id);
    return { size: v?.size, status: v?.status, display_name: v?.name, volume_type: v?.volumeType, attachments: [], show: v };
  },
  delete: (caller, id) => gone(() => deleteVolume(caller, id)),
  async gone(caller, id) {
    return !(await volumeById(caller, id));
  },
};

export const STORAGE_PLUGINS: Record<string, Plugin> = { 'OS::Cinder::Volume': volume };
