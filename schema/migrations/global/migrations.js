import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_obs_buckets.sql';
import m0002 from './0002_image_members.sql';
import m0003 from './0003_price_effective_from.sql';
import m0004 from './0004_billing_ledger.sql';
import m0005 from './0005_invoices.sql';
import m0006 from './0006_subscriptions.sql';
import m0007 from './0007_billing_rest.sql';
import m0008 from './0008_usage_rollups.sql';
import m0009 from './0009_credential_project.sql';
import m0010 from './0010_notification_settings.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010
    }
  }
  