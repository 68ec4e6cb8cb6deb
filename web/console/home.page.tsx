/** The Console's overview: who is signed in, where, and the sections of the project. */
import type { AppContext } from '../../workers/lib/app.ts';
import { ConsolePage, sessionRegion } from './layout.tsx';
import { SECTIONS } from './sections.ts';

export function HomePage({ c }: { c: AppContext }) {
  const p = c.var.principal;
  return (
    <ConsolePage c={c} title="Overview">
      <h1>Overview</h1>
      <dl class="facts">
        <dt>Account</dt>
        <dd>{p.domainName}</dd>
        <dt>User</dt>
        <dd>{p.userName}</dd>
        <dt>Region</dt>
        <dd>{sessionRegion(c)}</dd>
        <dt>Project</dt>
        <dd>{p.scope.type === 'project' ? `${p.scope.projectName} (${p.scope.projectId})` : 'none'}</dd>
      </dl>
      <h2>Services</h2>
      <ul class="grid">
        {SECTIONS.map((s) => (
          <li class="card">
            <h3>
              <a href={s.home}>{s.title}</a>
            </h3>
          </li>
        ))}
      </ul>
    </ConsolePage>
  );
}
