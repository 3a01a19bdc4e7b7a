import { createHash } from 'node:crypto';
import { type WorkloadRef, workloadKey } from '../workloads/workload-ref.js';

/**
 * Profile ids are Kubernetes object names (DNS-1123 subdomains), because the CRD backend
 * will use them as `metadata.name`, and file names of the filesystem store. They read like
 * the workload (`cgroup-system.slice-nginx.service-3f9a1c2b`) and end in a hash of the exact
 * identity: the slug loses case, punctuation and length, the hash does not, so two
 * identities never share an id.
 */
/** Kubernetes allows 253; 250 keeps `<id>.yaml` within a 255-byte file name. */
export const PROFILE_ID_MAX_LENGTH = 250;
const HASH_LENGTH = 8;

/** DNS-1123 subdomain: dot-separated labels of lower-case alphanumerics and `-`, alphanumeric at both ends. */
export const PROFILE_ID_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const PROFILE_ID_REGEX = new RegExp(PROFILE_ID_PATTERN);

function slugPart(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/[-.]*\.[-.]*/g, '.')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

export function profileId(ref: WorkloadRef): string {
  const hash = createHash('sha256').update(workloadKey(ref)).digest('hex').slice(0, HASH_LENGTH);
  const parts = [ref.namespace, ref.workloadType, ref.workload, ref.container].map(slugPart).filter((p) => p !== '');
  const room = PROFILE_ID_MAX_LENGTH - HASH_LENGTH - 1;
  const slug = parts.join('-').slice(0, room).replace(/[-.]+$/, '');
  return slug === '' ? hash : `${slug}-${hash}`;
}

export function isProfileId(text: string): boolean {
  return text.length <= PROFILE_ID_MAX_LENGTH && PROFILE_ID_REGEX.test(text);
}

/** An id that cannot name a profile: never used to build a path. */
export class InvalidProfileIdError extends Error {
  constructor(readonly id: string) {
    super(`invalid profile id ${describeId(id)}: ${idProblem(id)}`);
    this.name = 'InvalidProfileIdError';
  }
}

function describeId(id: string): string {
  const shown = id.length > 80 ? `${id.slice(0, 77)}...` : id;
  return JSON.stringify(shown);
}

function idProblem(id: string): string {
  if (id === '') return 'it is empty';
  if (id.includes('\u0000')) return 'it contains a NUL byte';
  if (id.length > PROFILE_ID_MAX_LENGTH) return `it is ${id.length} characters long, the maximum is ${PROFILE_ID_MAX_LENGTH}`;
  if (id.includes('/') || id.includes('\\')) return 'it contains a path separator; ids are names, not paths';
  if (id.startsWith('.')) return 'it starts with a dot';
  return 'ids are lower-case letters, digits, "-" and ".", starting and ending with a letter or digit (a DNS-1123 subdomain)';
}

export function assertProfileId(id: string): string {
  if (!isProfileId(id)) throw new InvalidProfileIdError(id);
  return id;
}
