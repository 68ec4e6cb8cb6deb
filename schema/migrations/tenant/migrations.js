import journal from './meta/_journal.json';
import m0000 from './0000_init.sql';
import m0001 from './0001_peerings.sql';
import m0002 from './0002_vpn.sql';
import m0003 from './0003_compute.sql';
import m0004 from './0004_jobs.sql';
import m0005 from './0005_server_events.sql';
import m0006 from './0006_resize.sql';
import m0007 from './0007_hints.sql';
import m0008 from './0008_server_microversions.sql';
import m0009 from './0009_block_storage.sql';
import m0010 from './0010_job_outcomes.sql';
import m0011 from './0011_elb.sql';
import m0012 from './0012_server_access.sql';

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
m0010,
m0011,
m0012
    }
  }
  