/**
 * Word lists for the demo world: tree areas, names, subjects, commit-message prose, review
 * comments and CI jobs. Kept apart from the simulation so the story code reads as a story.
 * The flavour is OpenStack Nova's; none of it names a real person.
 */

/** A top-level-ish part of the tree that changes are about. */
export interface DemoArea {
  /** Directory prefix, with a trailing slash. */
  dir: string;
  /** Subject prefix ("libvirt: …"). */
  prefix: string;
  /** Share of changes, relative. */
  weight: number;
  /** Source files under `dir`. */
  files: readonly string[];
  /** Things a subject or a commit message can be about. */
  nouns: readonly string[];
  /** Multiplier on review waiting times; the planted slow area has a large one. */
  reviewDelay: number;
}

export const SLOW_AREA = 'nova/virt/hyperv/';

export const AREAS: readonly DemoArea[] = [
  {
    dir: 'nova/compute/',
    prefix: 'compute',
    weight: 17,
    reviewDelay: 1,
    files: ['manager.py', 'api.py', 'resource_tracker.py', 'claims.py', 'utils.py', 'rpcapi.py', 'instance_actions.py', 'provider_tree.py'],
    nouns: [
      'instance resize',
      'evacuation',
      'shelve offload',
      'the resource tracker',
      'instance action events',
      'power state sync',
      'volume attach',
      'rebuild',
    ],
  },
  {
    dir: 'nova/virt/libvirt/',
    prefix: 'libvirt',
    weight: 20,
    reviewDelay: 1,
    files: [
      'driver.py',
      'config.py',
      'host.py',
      'guest.py',
      'migration.py',
      'vif.py',
      'utils.py',
      'volume/volume.py',
      'imagebackend.py',
      'blockinfo.py',
    ],
    nouns: [
      'live migration',
      'vTPM devices',
      'CPU pinning',
      'mediated devices',
      'NUMA topology',
      'the image backend',
      'hugepages',
      'the guest XML',
      'stateless firmware',
    ],
  },
  {
    dir: 'nova/api/',
    prefix: 'api',
    weight: 12,
    reviewDelay: 1,
    files: [
      'openstack/compute/servers.py',
      'openstack/compute/schemas/servers.py',
      'openstack/api_version_request.py',
      'openstack/compute/migrate_server.py',
      'openstack/compute/flavors.py',
      'validation/parameter_types.py',
    ],
    nouns: [
      'the servers API',
      'a new microversion',
      'server tags',
      'flavor extra specs validation',
      'the os-migrations API',
      'the server groups API',
    ],
  },
  {
    dir: 'nova/scheduler/',
    prefix: 'scheduler',
    weight: 10,
    reviewDelay: 1,
    files: ['manager.py', 'filters/numa_topology_filter.py', 'weights/cpu.py', 'utils.py', 'client/report.py', 'request_filter.py'],
    nouns: [
      'allocation candidates',
      'the NUMA topology filter',
      'request filters',
      'host aggregates',
      'the CPU weigher',
      'placement reshapes',
    ],
  },
  {
    dir: 'nova/network/',
    prefix: 'network',
    weight: 7,
    reviewDelay: 1,
    files: ['neutron.py', 'model.py', 'os_vif_util.py', 'security_group_api.py'],
    nouns: ['port binding', 'SR-IOV ports', 'security groups', 'the network info cache', 'port resource requests'],
  },
  {
    dir: SLOW_AREA,
    prefix: 'hyperv',
    weight: 5,
    reviewDelay: 9,
    files: ['driver.py', 'vmops.py', 'volumeops.py', 'livemigrationops.py', 'serialconsoleops.py', 'imagecache.py'],
    nouns: ['generation 2 VMs', 'cold migration', 'the serial console', 'the image cache', 'iSCSI volumes', 'remote FX'],
  },
  {
    dir: 'nova/objects/',
    prefix: 'objects',
    weight: 5,
    reviewDelay: 1.2,
    files: ['instance.py', 'request_spec.py', 'migration.py', 'fields.py', 'compute_node.py'],
    nouns: ['the RequestSpec object', 'instance mappings', 'object versions', 'the migration context'],
  },
  {
    dir: 'nova/conductor/',
    prefix: 'conductor',
    weight: 5,
    reviewDelay: 1.2,
    files: ['manager.py', 'tasks/live_migrate.py', 'tasks/migrate.py', 'api.py'],
    nouns: ['the live migration task', 'cross-cell resize', 'build retries', 'reschedules'],
  },
  {
    dir: 'nova/tests/',
    prefix: 'functional',
    weight: 7,
    reviewDelay: 1,
    files: [
      'functional/test_servers.py',
      'functional/libvirt/test_numa_servers.py',
      'functional/integrated_helpers.py',
      'fixtures/libvirt.py',
      'functional/test_cross_cell_migrate.py',
    ],
    nouns: ['the functional test helpers', 'the libvirt fixture', 'a regression test', 'flaky test cleanup'],
  },
  {
    dir: 'doc/',
    prefix: 'docs',
    weight: 6,
    reviewDelay: 1.3,
    files: [
      'source/admin/live-migration-usage.rst',
      'source/admin/cpu-topologies.rst',
      'source/user/flavors.rst',
      'source/contributor/process.rst',
      'source/install/compute-install.rst',
      'source/admin/configuration/hypervisor-hyper-v.rst',
    ],
    nouns: ['the admin guide', 'the contributor guide', 'the install guide', 'the flavors documentation'],
  },
];

export const FIRST_NAMES = [
  'Alice',
  'Bogdan',
  'Chen',
  'Dmitri',
  'Elena',
  'Farid',
  'Greta',
  'Hiroshi',
  'Ines',
  'Jakub',
  'Kavya',
  'Lars',
  'Mei',
  'Nikolai',
  'Olumide',
  'Priya',
  'Quentin',
  'Rosa',
  'Sébastien',
  'Tomás',
  'Ulla',
  'Vikram',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zoë',
  'Anders',
  'Beatriz',
  'Callum',
  'Dana',
  'Emre',
  'Fatima',
  'Gustavo',
  'Hana',
  'Igor',
  'Julia',
  'Kenji',
  'Leila',
  'Marco',
  'Noor',
  'Oskar',
  'Paulina',
  'Rahul',
  'Sanna',
  'Teodor',
  'Uma',
  'Valentin',
  'Wiktoria',
  'Yara',
  'Łukasz',
];

export const LAST_NAMES = [
  'Andersen',
  'Baptiste',
  'Castillo',
  'Dubois',
  'Eriksson',
  'Fischer',
  'Gallagher',
  'Horvath',
  'Iyer',
  'Jansen',
  'Kowalski',
  'Lindqvist',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Sato',
  'Tanaka',
  'Urban',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
  'Bauer',
  'Costa',
  'Dvořák',
  'Esposito',
  'Fernández',
  'Grünewald',
  'Hughes',
  'Ivanova',
  'Jovanović',
  'Kim',
  'Laine',
  'Murphy',
  'Novak',
  'Olsen',
  'Park',
  'Ramos',
  'Schmidt',
  'Takahashi',
  'Ueda',
  'Vasquez',
  'Wójcik',
  'Yamamoto',
  'Zeller',
  'Brennan',
];

/** Mail domains of the (fictional) companies people work for. */
export const MAIL_DOMAINS = [
  'cloudcorp.example',
  'bluebox.example',
  'hyperscale.example',
  'opencompute.example',
  'telco-one.example',
  'university.example',
  'gmail.example',
  'stackworks.example',
];

export const BUG_SUBJECTS = [
  'Fix {noun} when the instance is in ERROR state',
  'Handle a missing host during {noun}',
  'Do not reset {noun} on service restart',
  'Avoid a race between {noun} and instance delete',
  'Fix {noun} with older compute services',
  'Log a warning instead of failing {noun}',
  'Correct the quota check in {noun}',
  'Retry {noun} on transient errors',
  'Fix {noun} for instances with attached volumes',
  'Stop leaking allocations in {noun}',
];

export const FEATURE_STEPS = [
  'Add objects for {noun}',
  'Add the database model for {noun}',
  'Add driver support for {noun}',
  'Wire {noun} into the compute manager',
  'Add a new API microversion for {noun}',
  'Add functional tests for {noun}',
  'Document {noun} and add a release note',
];

export const TRIVIAL_SUBJECTS = [
  'Fix typos in {noun} docstrings',
  'Remove an unused import from {noun}',
  'Update a stale comment about {noun}',
  'Use f-strings in {noun} log messages',
];

export const CLEANUP_SUBJECTS = [
  'Refactor {noun} helpers',
  'Remove dead code from {noun}',
  'Move {noun} into its own module',
  'Simplify the error handling in {noun}',
  'Drop the compatibility shim for {noun}',
];

export const DOCS_SUBJECTS = ['Clarify {noun} for operators', 'Update {noun} for the new release', 'Fix broken links in {noun}'];

export const TESTS_SUBJECTS = [
  'Add a regression test for {noun}',
  'Make {noun} less racy',
  'Reproduce a bug in {noun} with a functional test',
];

export const BODY_SENTENCES = [
  'Previously, {noun} could fail with an unhelpful error when the compute service was restarted in the middle of the operation.',
  'The existing code assumed that the instance was always on the source host, which is not true after a failed migration.',
  'This change makes the behaviour explicit and adds a regression test.',
  'No functional change is intended; this prepares the ground for the rest of the series.',
  'A release note is included because operators will notice the new behaviour.',
  'The old code path is kept for computes that have not been upgraded yet.',
  'This matches what the libvirt driver already does.',
  'Placement is now asked once per request instead of once per host.',
  'The RPC API is not changed, so no version bump is needed.',
  'The object version is bumped because a field is added.',
  'The unit tests are updated to use the new fixture.',
  'Errors are now logged with the instance uuid to make them easier to trace.',
];

export const CRITIC_COMMENTS = [
  'Please add a unit test for the error path.',
  'This will break rolling upgrades: the RPC change needs a version bump.',
  'Can you add a release note? Operators will notice this change.',
  'nit: the log message should not be translated any more.',
  'I do not think this is the right layer to fix this; the conductor should handle it.',
  'This needs a functional regression test reproducing the bug first.',
  'The commit message does not explain why; please expand it.',
  'The API change needs a new microversion.',
  'Please split the refactor from the behavioural change.',
  'What happens when the compute service is older than the conductor? See inline.',
];

export const STRONG_PLUS_COMMENTS = [
  'Looks good. I checked the upgrade path and the object version bump is right.',
  'Tested on a multinode devstack; works as described.',
  'The regression test fails without the fix and passes with it. Nice.',
  'Logic looks right to me; one nit inline that can be a follow-up.',
];

export const STRONG_MINUS_COMMENTS = [
  'This misses the rollback path; if the claim fails the allocation is leaked. See inline.',
  'I agree with the approach but the unit test does not exercise the new branch.',
  'The config option needs a help text and a release note.',
  'This changes the API response without a microversion; see inline.',
];

/** The planted careful reviewer's reasons: specific, about the change. */
export const CAREFUL_PLUS_COMMENTS = [
  'Walked through the error handling: the lock is released on every exit path and the new test covers the timeout.',
  'Checked the object version bump against the conductor; older computes get the field backported correctly.',
  'Ran the new unit tests against the old code and they fail as expected, so they cover the bug.',
  'The migration is idempotent now and the rollback path restores the original allocation.',
];

export const CAREFUL_MINUS_COMMENTS = [
  'The retry loop never gives up when the placement service is down; it needs a bound and a log message.',
  'This drops the instance lock before the resize claim is made, so two resizes can race. See inline.',
  'The new config option is read at import time, so changing it needs a restart; please read it at use.',
  'The error path leaves the volume attached on the host; the cleanup in the except block is missing.',
];

export const PLUS_ONE_COMMENTS = ['Looks good to me.', 'LGTM, thanks for the fix.', 'Tested this locally with devstack, works for me.'];

export const PLUS_TWO_COMMENTS = ['Thanks, looks good.', 'Nice cleanup.', 'Good catch, thanks.'];

export const COMMENT_ONLY = [
  'I think this needs a release note.',
  'Is there a bug for this? Please reference it in the commit message.',
  'Question inline about the upgrade case.',
  'Does this need a backport to the stable branches?',
  'Just a drive-by question: could this reuse the existing helper?',
];

export const OWNER_REPLIES = [
  'Thanks for the review, addressed in the next patch set.',
  'Done.',
  'Good catch, fixed.',
  'Replied inline; I think the current behaviour is right but I added a comment.',
];

export const BLOCK_COMMENTS = [
  'This conflicts with the direction agreed in the spec; please bring it to the team meeting first.',
  'We cannot land this until the spec is approved.',
  'This is not the approach we want; the fix belongs in placement.',
];

export const REMOVAL_COMMENTS = ['Withdrawing my -1, the explanation makes sense.', 'Never mind, I misread the diff.'];

export const ABANDON_REASONS = [
  'Not needed any more, fixed by a different change.',
  'Moving this to a different approach.',
  'Squashed into the parent change.',
  'I no longer have time to work on this.',
];

export const RECHECKS = ['recheck', 'recheck tempest timeout', 'recheck unrelated failure in nova-tox-functional'];

/** Blueprint name parts; names are "<verb>-<object>" in kebab case. */
export const BLUEPRINT_VERBS = ['support', 'add', 'allow', 'improve', 'remove', 'extend', 'enable'];
export const BLUEPRINT_OBJECTS = [
  'vtpm-live-migration',
  'cpu-power-management',
  'stateless-firmware',
  'pci-in-placement',
  'ephemeral-encryption',
  'vdpa-hotplug',
  'mdev-live-migration',
  'server-groups-max-count',
  'unified-limits',
  'granular-quota',
  'sound-devices',
  'igb-vif-model',
  'manila-shares',
  'image-metadata-props',
  'one-time-use-devices',
  'local-disk-qos',
  'numa-aware-vswitches',
  'hyperv-uefi-secure-boot',
  'scheduler-hints-in-server-show',
  'flavor-description-update',
  'compute-node-uuid-persistence',
  'ironic-shards',
  'libvirt-virtio-fs',
  'cells-v2-online-migration',
];

export const RELEASE_NAMES = [
  'Aster',
  'Birch',
  'Cedar',
  'Dahlia',
  'Elder',
  'Fennel',
  'Ginkgo',
  'Hazel',
  'Iris',
  'Juniper',
  'Kestrel',
  'Larch',
  'Maple',
  'Nettle',
  'Oak',
  'Poplar',
  'Quince',
  'Rowan',
  'Sorrel',
  'Tamarack',
  'Umber',
  'Verbena',
  'Willow',
  'Yarrow',
  'Zinnia',
];

/** A CI job as Zuul runs it. `failWhenBroken` is the chance it catches a genuinely broken patch set. */
export interface DemoJob {
  name: string;
  voting: boolean;
  /** Typical duration in seconds. */
  seconds: number;
  failWhenBroken: number;
  /** Chance of failing for reasons unrelated to the code (infra, races). */
  flake: number;
}

export const CHECK_JOBS: readonly DemoJob[] = [
  { name: 'openstack-tox-pep8', voting: true, seconds: 260, failWhenBroken: 0.3, flake: 0.003 },
  { name: 'openstack-tox-py310', voting: true, seconds: 1200, failWhenBroken: 0.55, flake: 0.005 },
  { name: 'nova-tox-functional', voting: true, seconds: 1700, failWhenBroken: 0.4, flake: 0.02 },
  { name: 'tempest-full-py3', voting: true, seconds: 5400, failWhenBroken: 0.3, flake: 0.04 },
  // The planted stable non-voting job: it fails about as often as the voting ones.
  { name: 'nova-ceph-multistore', voting: false, seconds: 4800, failWhenBroken: 0.3, flake: 0.035 },
  // The planted flaky non-voting job: a quarter of its runs fail whatever the code.
  { name: 'nova-live-migration', voting: false, seconds: 5100, failWhenBroken: 0.2, flake: 0.25 },
];

export const DOCS_JOBS: readonly DemoJob[] = [
  { name: 'openstack-tox-pep8', voting: true, seconds: 260, failWhenBroken: 0.2, flake: 0.003 },
  { name: 'openstack-tox-docs', voting: true, seconds: 420, failWhenBroken: 0.9, flake: 0.005 },
];

export const EXPERIMENTAL_JOBS: readonly DemoJob[] = [
  { name: 'nova-multi-cell', voting: false, seconds: 6000, failWhenBroken: 0.3, flake: 0.1 },
  { name: 'nova-emulation', voting: false, seconds: 4200, failWhenBroken: 0.3, flake: 0.1 },
  { name: 'nova-osprofiler-redis', voting: false, seconds: 4500, failWhenBroken: 0.3, flake: 0.05 },
];

export const FLAKY_JOB = 'nova-live-migration';
export const STABLE_NON_VOTING_JOB = 'nova-ceph-multistore';
export const THIRD_PARTY_JOB = 'hyperv-tempest';
