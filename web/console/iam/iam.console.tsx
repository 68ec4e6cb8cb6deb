/** The Console's IAM section at `/console/iam`: the Customer Portal's IAM pages (web/portal/iam) in the Console's shell. */
import { iamPages } from '../../portal/iam/iam.pages.tsx';
import { ConsolePage, renderConsoleError } from '../kit.tsx';

export const iamConsole = iamPages({
  base: '/console/iam',
  page: (c, title, content) =>
    c.html(
      <ConsolePage c={c} title={title} section="iam">
        {content}
      </ConsolePage>,
    ),
  error: renderConsoleError,
});
