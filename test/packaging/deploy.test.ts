/**
 * The deployment recipes: every Kubernetes manifest in deploy/k8s validates against the JSON
 * Schema of its kind (kubernetes-models, offline), the Deployment probes the control adapter's
 * health endpoints, the ConfigMap's capabilities pass `capstan validate`, and the Dockerfile is
 * multi-stage, runs as a non-root user and checks health on the control port.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { tempSpecDir } from '../helpers/tmp.js';

const K8S = join(REPO_ROOT, 'deploy', 'k8s');
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
const MODELS: Record<string, new (doc: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

function manifests(): Array<{ file: string; doc: Doc }> {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => ({ file, doc: d.toJS() as Doc })));
}

describe('Kubernetes manifests', () => {
  it('each validates against the schema of its kind, and every kind the issue asks for is there', () => {
    const kinds = new Set<string>();
    for (const { file, doc } of manifests()) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model, `${file}: ${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc as never).validate(), file).not.toThrow();
      kinds.add(doc.kind);
    }
    expect([...kinds].sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Secret', 'Service']);
  });

  it('a schema violation is caught (the check can fail)', () => {
    const deployment = manifests().find((m) => m.doc.kind === 'Deployment')!.doc as unknown as { spec: { replicas: unknown } };
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } } as never).validate()).toThrow();
  });

  it('the Deployment probes /health/ready and /health/live on the control port, mounts the ConfigMap and reads binds from the Secret', () => {
    const all = manifests().map((m) => m.doc);
    const deployment = all.find((d) => d.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { securityContext: { runAsNonRoot: boolean }; containers: Array<Record<string, any>>; volumes: Array<{ configMap?: { name: string } }> } } };
    };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    const control = container.ports.find((p: { name: string }) => p.name === 'control').containerPort;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'control' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'control' });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.volumes[0]!.configMap!.name).toBe(all.find((d) => d.kind === 'ConfigMap')!.metadata.name);
    expect(container.envFrom[0].secretRef.name).toBe(all.find((d) => d.kind === 'Secret')!.metadata.name);
    const hpa = all.find((d) => d.kind === 'HorizontalPodAutoscaler') as unknown as { spec: { scaleTargetRef: { name: string } } };
    expect(hpa.spec.scaleTargetRef.name).toBe(all.find((d) => d.kind === 'Deployment')!.metadata.name);

    // The capabilities in the ConfigMap are valid and declare their control adapter on that port.
    const data = (all.find((d) => d.kind === 'ConfigMap') as unknown as { data: Record<string, string> }).data;
    const dir = tempSpecDir(data);
    const result = runCli(['validate', ...Object.keys(data).map((f) => join(dir, f))]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(Object.values(data).join('\n')).toMatch(new RegExp(`- type: control\\n\\s+port: ${control}\\n`));
  });
});

describe('Dockerfile', () => {
  it('is multi-stage, runs as a non-root user and checks /health/live on the control port', () => {
    const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const stages = text.split('\n').filter((l) => /^FROM /.test(l));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER (?!root\b|0\b)\S+/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/health\/live/m);
    expect(final).toMatch(/CAPSTAN_CONTROL_PORT=9100/);
    expect(final).toMatch(/^ENTRYPOINT \["capstan", "run"\]/m);
  });
});
