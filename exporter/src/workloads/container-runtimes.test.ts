import { describe, expect, it } from 'vitest';
import { matchContainerCgroup, shortContainerId } from './container-runtimes.js';

const id = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + '01234567';

describe('matchContainerCgroup', () => {
  it.each([
    ['docker, systemd driver', `/system.slice/docker-${id}.scope`, 'docker'],
    ['docker, cgroupfs driver', `/docker/${id}`, 'docker'],
    ['podman, cgroupfs', `/libpod_parent/libpod-${id}`, 'podman'],
    ['podman, systemd', `/machine.slice/libpod-${id}.scope`, 'podman'],
    ['podman, nested cgroup inside the container', `/machine.slice/libpod-${id}.scope/container/init.scope`, 'podman'],
    ['cri-o', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234.slice/crio-${id}.scope`, 'cri-o'],
    ['containerd under Kubernetes', `/kubepods.slice/kubepods-pod5678.slice/cri-containerd-${id}.scope`, 'containerd'],
    ['containerd, cgroupfs', `/kubepods/burstable/pod12345678-1234-1234-1234-123456789abc/${id}`, 'containerd'],
  ])('recognizes %s', (_, path, runtime) => {
    expect(matchContainerCgroup(path)).toMatchObject({ runtime, id });
  });

  it.each([
    ['a systemd service', '/system.slice/nginx.service'],
    ["podman's conmon", `/machine.slice/libpod-conmon-${id}.scope`],
    ['the root', '/'],
    ['a 64-hex name without a runtime parent', `/custom/${id}`],
  ])('leaves %s alone', (_, path) => {
    expect(matchContainerCgroup(path)).toBeNull();
  });

  it('shortens ids like the runtimes do', () => {
    expect(shortContainerId(id)).toBe(id.slice(0, 12));
  });
});
