/** The account's notices of price revisions (clause 1.4): when each was published, when it takes effect, the line and its new price. */
import type { Hono } from 'hono';
import { unitPriceText } from '../../../core/money.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { noticesOf } from '../../../workers/bss/usecases/prices.ts';
import type { AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { Empty, Table } from '../../console/kit.tsx';
import { billingPage } from './shell.tsx';

/** Registers the notices page under the billing router. */
export function noticeRoutes(r: Hono<AppEnv>): void {
  r.get('/notices', act('bss:notices:list'), async (c) => {
    const rows = await noticesOf(identityOf(c));
    const head = ['Published', 'Takes effect', 'Line', 'Region', 'New price (EUR)', 'Kind'];
    return billingPage(
      c,
      'notices',
      'Price notices',
      <Table caption="Notices of price revisions, newest first" head={head}>
        <tbody>
          {rows.length === 0 && <Empty cols={head.length}>No price has changed since the account was opened.</Empty>}
          {rows.map(({ notice, revision, line }) => (
            <tr>
              <td>
                <time datetime={notice.publishedAt}>{notice.publishedAt.slice(0, 10)}</time>
              </td>
              <td>
                <time datetime={notice.effectiveFrom}>{notice.effectiveFrom.slice(0, 10)}</time>
              </td>
              <th scope="row">{`${line.service} ${line.product} (${line.billingMode})`}</th>
              <td>{line.regionId}</td>
              <td>{`${unitPriceText(BigInt(revision.unitPrice))} per ${line.unit}`}</td>
              <td>{revision.kind}</td>
            </tr>
          ))}
        </tbody>
      </Table>,
    );
  });
}
