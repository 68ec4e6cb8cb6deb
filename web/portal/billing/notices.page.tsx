/**
 * The account's notices: of price revisions (clause 1.4: when each was published, when it takes effect, the line and
 * its new price), and beside them the budget alerts the hourly job raised.
 */
import type { Hono } from 'hono';
import { minorText, unitPriceText } from '../../../core/money.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { budgetOf } from '../../../workers/bss/usecases/budgets.ts';
import { noticesOf } from '../../../workers/bss/usecases/prices.ts';
import type { AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { Empty, Table } from '../../console/kit.tsx';
import { BILLING, billingPage } from './shell.tsx';

/** Registers the notices page under the billing router. */
export function noticeRoutes(r: Hono<AppEnv>): void {
  r.get('/notices', act('bss:notices:list'), async (c) => {
    const [rows, budget] = await Promise.all([noticesOf(identityOf(c)), budgetOf(c.env, c.var.principal.domainId)]);
    const head = ['Published', 'Takes effect', 'Line', 'Region', 'New price (EUR)', 'Kind'];
    return billingPage(
      c,
      'notices',
      'Price notices',
      <>
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
        </Table>
        <h2>Budget alerts</h2>
        <ul data-budget-alerts="">
          {budget.notices.length === 0 && (
            <li>
              No budget threshold crossed. <a href={`${BILLING}/budget`}>Set a budget</a>
            </li>
          )}
          {budget.notices.map((n) => (
            <li>{`${n.month}: ${n.threshold} % of the ${minorText(n.budget)} EUR budget reached (${minorText(n.spent)} EUR), ${n.createdAt.slice(0, 10)}`}</li>
          ))}
        </ul>
      </>,
    );
  });
}
