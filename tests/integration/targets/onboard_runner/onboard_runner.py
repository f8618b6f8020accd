# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run mas.dedicated.onboard twice with ansible-runner and check what AWX would show; then a play whose environments
collide, or whose case request is bad, is refused before anything is written."""
from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

import ansible_runner
import yaml

KAFKA_PASSWORD = 'kafka-pw-runner-4e1d0b'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def fail(message):
    sys.stderr.write('FAILED: %s\n' % message)
    sys.exit(1)


def requests_seen(url):
    return json.loads(urllib.request.urlopen(url + '/_sandbox/requests').read())


def colliding_names(config, work):
    """Environments whose names only differ after four letters (test1/test2, train/training) get distinct default DSNs;
    two environments given one DSN are refused before anything is written: no rclone.conf, no db2dsdriver.cfg, no
    case package, no request."""
    url = config['sandbox_url']
    s3 = config['sandbox_s3']
    buckets = s3['buckets']
    base = os.path.join(work, 'clash')
    data = os.path.join(base, 'runner')
    certificate = os.path.join(base, 'db.arm')
    os.makedirs(base)
    subprocess.check_call(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=db',
                           '-keyout', os.path.join(base, 'db.key'), '-out', certificate], stderr=subprocess.DEVNULL)
    environments = ('test1', 'test2', 'train', 'training')
    write(os.path.join(data, 'inventory', 'sbx.mas.yml'), yaml.safe_dump({
        'plugin': 'mas.dedicated.environments', 'instance': 'sbx',
        'cos': {'region': s3['region'], 'endpoint': s3['endpoint_url']},
        'environments': dict((name, {
            'production': False, 'manage_url': url, 'tools_url': url + '/toolsapi',
            'cos': {'buckets': {'custfile': {'name': buckets['custfile']['bucket']}}},
            'db': {'host': '%s.db.example.com' % name, 'port': 50001, 'database': 'BLUDB', 'certificate': certificate},
        }) for name in environments),
    }))
    write(os.path.join(data, 'project', 'onboard.yml'),
          '---\n- name: Onboard\n  ansible.builtin.import_playbook: mas.dedicated.onboard\n')
    write(os.path.join(data, 'env', 'envvars'), yaml.safe_dump({
        'MAS_API_KEY': config['sandbox_api_key'],
        'ANSIBLE_INVENTORY_ENABLED': 'mas.dedicated.environments',
        'ANSIBLE_COLLECTIONS_PATH': os.environ.get('ANSIBLE_COLLECTIONS_PATH', ''),
        'AWS_CA_BUNDLE': '',
    }))
    extravars = {
        'ansible_python_interpreter': sys.executable,
        'mas_custfile_access_key_id': buckets['custfile']['access_key_id'],
        'mas_custfile_secret_access_key': buckets['custfile']['secret_access_key'],
        'onboard_rclone_config': os.path.join(base, 'out', 'rclone.conf'),
        'onboard_db2_dsdriver_cfg': os.path.join(base, 'out', 'db2dsdriver.cfg'),
        'onboard_case_dir': os.path.join(base, 'out', 'cases'),
        'onboard_cases': [{'kind': 'saml_sso', 'details': {'name_id_format': 'email'}}],
    }
    # The defaults: the plan (check mode) of the four environments passes, their DSNs all differ.
    write(os.path.join(data, 'env', 'extravars'), yaml.safe_dump(extravars))
    plan = ansible_runner.run(private_data_dir=data, playbook='onboard.yml', ident='plan', quiet=True,
                              cmdline='--check --diff')
    plan_text = plan.stdout.read()
    os.remove(os.path.join(data, 'env', 'cmdline'))
    if plan.rc != 0:
        sys.stdout.write(plan_text)
        fail('the plan of test1, test2, train and training ended with rc %s: their default DSNs collide' % plan.rc)
    shown = [line for line in plan_text.splitlines() if line.lstrip('+').startswith('dsn ')]
    if len(shown) != 4 or len(set(shown)) != 4:
        fail('expected four distinct data sources in the plan, got %s' % shown)
    print('default DSNs of test1, test2, train, training: %s' % ', '.join(sorted(shown)))
    # One DSN for all four: refused, naming two environments, before anything is written or sent.
    urllib.request.urlopen(urllib.request.Request(url + '/_sandbox/requests', method='DELETE')).read()
    write(os.path.join(data, 'env', 'extravars'), yaml.safe_dump(dict(extravars, onboard_db2_dsn='SBXDB')))
    run = ansible_runner.run(private_data_dir=data, playbook='onboard.yml', ident='clash', quiet=True)
    text = run.stdout.read()
    if run.rc == 0:
        fail('one DSN for four environments was not refused')
    expected = 'DB2 data source name (DSN) SBXDB would be the data source of both sbx/test1 and sbx/test2'
    if expected not in text or 'Nothing was written' not in text:
        sys.stdout.write(text)
        fail('the refusal does not name both environments')
    written = [name for name in ('rclone.conf', 'db2dsdriver.cfg', 'cases') if os.path.exists(os.path.join(base, 'out', name))]
    if written:
        fail('the refused play wrote %s' % ', '.join(written))
    if os.path.exists(os.path.join(base, 'out')) and os.listdir(os.path.join(base, 'out')):
        fail('the refused play left files: %s' % os.listdir(os.path.join(base, 'out')))
    seen = requests_seen(url)
    if seen:
        fail('the refused play sent %d requests' % len(seen))
    print('one DSN for four environments: refused naming sbx/test1 and sbx/test2, nothing written, nothing sent')
    # A case request the support guide refuses stops the play before the first shared write too.
    write(os.path.join(data, 'env', 'extravars'), yaml.safe_dump(dict(
        extravars, onboard_cases=[{'kind': 'saml_sso', 'details': {'name_id_format': 'transient'}}])))
    run = ansible_runner.run(private_data_dir=data, playbook='onboard.yml', ident='badcase', quiet=True)
    text = run.stdout.read()
    if run.rc == 0 or "is not one of the support guide's formats" not in text:
        sys.stdout.write(text)
        fail('a bad case request was not refused')
    if os.path.exists(os.path.join(base, 'out')) and os.listdir(os.path.join(base, 'out')):
        fail('the play refused for its case request wrote %s' % os.listdir(os.path.join(base, 'out')))
    print('a bad case request: refused before rclone.conf, db2dsdriver.cfg or any package was written')
    serial_batches(data, base, extravars, url)


def serial_batches(data, base, extravars, url):
    """With serial, a later batch's environment given the DSN of an earlier batch's is refused before its writes: the
    shared db2dsdriver.cfg keeps the earlier environment's data source, and nothing of the later batch is written."""
    write(os.path.join(data, 'project', 'onboard_serial.yml'), '\n'.join([
        '---', '- name: Onboard two environments at a time', '  hosts: all', '  serial: 2', '  gather_facts: false',
        '  connection: local', '  roles:', '    - role: mas.dedicated.onboard', '']))
    shutil.rmtree(os.path.join(base, 'out'), ignore_errors=True)
    shared = "{{ 'SBXSHARED' if mas_environment in ['test1', 'train'] else 'SBX' ~ (mas_environment | upper) }}"
    write(os.path.join(data, 'env', 'extravars'), yaml.safe_dump(dict(extravars, onboard_db2_dsn=shared)))
    urllib.request.urlopen(urllib.request.Request(url + '/_sandbox/requests', method='DELETE')).read()
    run = ansible_runner.run(private_data_dir=data, playbook='onboard_serial.yml', ident='serial', quiet=True)
    text = run.stdout.read()
    expected = 'DB2 data source name (DSN) SBXSHARED would be the data source of both sbx/test1 and sbx/train'
    if run.rc == 0 or expected not in text:
        sys.stdout.write(text)
        fail('the second batch reusing the first batch\'s DSN was not refused')
    with open(os.path.join(base, 'out', 'db2dsdriver.cfg'), encoding='utf-8') as handle:
        cfg = handle.read()
    if 'test1.db.example.com' not in cfg or 'train.db.example.com' in cfg or 'training.db.example.com' in cfg:
        sys.stdout.write(cfg)
        fail('db2dsdriver.cfg does not hold the first batch alone')
    print('serial: 2, train given test1\'s DSN: the second batch refused before its writes, db2dsdriver.cfg keeps test1')


def main():
    config = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
    work = sys.argv[2]
    url = config['sandbox_url']
    s3 = config['sandbox_s3']
    buckets = s3['buckets']
    urllib.request.urlopen(urllib.request.Request(url + '/_sandbox/reset', method='POST')).read()
    data = os.path.join(work, 'runner')
    # The Welcome Letter as an inventory source (no secret in it).
    write(os.path.join(data, 'inventory', 'sbx.mas.yml'), yaml.safe_dump({
        'plugin': 'mas.dedicated.environments', 'instance': 'sbx',
        'cos': {'region': s3['region'], 'endpoint': s3['endpoint_url']},
        'environments': dict((name, {
            'production': name == 'prod', 'manage_url': url, 'tools_url': url + '/toolsapi',
            'cos': {'buckets': {'custfile': {'name': buckets['custfile']['bucket']},
                                'logs': {'name': buckets['logs']['bucket'], 'read_only': True}}},
        }) for name in ('dev', 'prod')),
    }))
    write(os.path.join(data, 'project', 'onboard.yml'),
          '---\n- name: Onboard\n  ansible.builtin.import_playbook: mas.dedicated.onboard\n')
    # What AWX injects: the Manage API key from a credential, the rest as extra variables (vault in real life).
    write(os.path.join(data, 'env', 'envvars'), yaml.safe_dump({
        'MAS_API_KEY': config['sandbox_api_key'],
        'ANSIBLE_INVENTORY_ENABLED': 'mas.dedicated.environments',
        'ANSIBLE_COLLECTIONS_PATH': os.environ.get('ANSIBLE_COLLECTIONS_PATH', ''),
        'AWS_CA_BUNDLE': '',
    }))
    write(os.path.join(data, 'env', 'extravars'), yaml.safe_dump({
        'ansible_python_interpreter': sys.executable,
        'mas_custfile_access_key_id': buckets['custfile']['access_key_id'],
        'mas_custfile_secret_access_key': buckets['custfile']['secret_access_key'],
        'mas_logs_access_key_id': buckets['logs']['access_key_id'],
        'mas_logs_secret_access_key': buckets['logs']['secret_access_key'],
        'vault_kafka_password': KAFKA_PASSWORD,
        'onboard_rclone_config': os.path.join(work, 'rclone', 'rclone.conf'),
        'onboard_rclone_verify': True,
        'onboard_case_dir': os.path.join(work, 'cases'),
        'onboard_summary_dir': os.path.join(work, 'summaries'),
        'onboard_cases': [{'kind': 'saml_sso', 'details': {'name_id_format': 'email'}}],
        # Both environments reach the one sandbox Manage at once (each real environment has its own): names per
        # environment keep them from creating the same record at the same moment.
        'onboard_kafka_endpoints': [{'name': 'KAFKAEP_{{ mas_environment | upper }}', 'topic': 'sbx-cqin',
                                     'bootstrap_servers': 'broker-0:9093', 'password_var': 'vault_kafka_password'}],
        # The cron task IBM provisions (the role's default, Kafka): one of its instances activated, and one instance
        # per environment created with the parameters IBM's role writes.
        'onboard_kafka_cron_instances': [{'instancename': 'kafkacqin', 'active': True},
                                         {'instancename': 'sbx{{ mas_environment }}sqout', 'active': True,
                                          'topic': 'sbx-{{ mas_environment }}-sqout', 'direction': 'outbound'}],
    }))
    # The GitOps plan first: --check --diff shows the changes of both environments and writes nothing.
    plan = ansible_runner.run(private_data_dir=data, playbook='onboard.yml', ident='plan', quiet=True,
                              cmdline='--check --diff')
    if plan.rc != 0:
        sys.stdout.write(plan.stdout.read())
        fail('the check-mode plan ended with rc %s (%s)' % (plan.rc, plan.status))
    plan_text = plan.stdout.read()
    # ansible-runner keeps the command line options in env/cmdline for the next runs: the applies run without them.
    os.remove(os.path.join(data, 'env', 'cmdline'))
    if not plan.stats['changed'] or '+[sbx-prod-logs]' not in plan_text:
        fail('the plan shows no change: %s\n%s' % (plan.stats['changed'], plan_text[-3000:]))
    if os.path.exists(os.path.join(work, 'rclone', 'rclone.conf')) or os.path.exists(os.path.join(work, 'cases')):
        fail('check mode wrote files')
    print('plan (check mode): %s' % json.dumps(plan.stats['changed']))
    runs = []
    summaries = []
    for attempt in (1, 2):
        run = ansible_runner.run(private_data_dir=data, playbook='onboard.yml', ident='run%d' % attempt, quiet=True)
        if run.rc != 0:
            sys.stdout.write(run.stdout.read())
            fail('run %d ended with rc %s (%s)' % (attempt, run.rc, run.status))
        runs.append(run)
        summaries.append(open(os.path.join(work, 'summaries', 'sbx.md'), encoding='utf-8').read())
    # The summary ends with the time and version of the run that wrote it; the unchanged re-run leaves it alone.
    stamp = re.search(r'_Written (\d{4}-\d\d-\d\dT[\d:]+Z) by mas\.dedicated (\S+) \(state [0-9a-f]{40}\)\._\s*$',
                      summaries[0])
    if not stamp:
        fail('the summary does not end with its time, version and state:\n%s' % summaries[0][-300:])
    if summaries[1] != summaries[0] or sorted(os.listdir(os.path.join(work, 'summaries'))) != ['sbx.md']:
        fail('the unchanged re-run rewrote the summary: %s' % os.listdir(os.path.join(work, 'summaries')))
    first, second = runs[0].stats, runs[1].stats
    print('first run: %s' % json.dumps(first['changed']))
    print('second run: %s' % json.dumps(second['changed']))
    if set(first['changed']) != {'sbx-dev', 'sbx-prod'}:
        fail('the first run should change both environments: %s' % first['changed'])
    if any(second['changed'].values()):
        fail('the second run changed something: %s' % second['changed'])
    remotes = open(os.path.join(work, 'rclone', 'rclone.conf'), encoding='utf-8').read()
    for name in ('sbx-dev-custfile', 'sbx-dev-logs', 'sbx-prod-custfile', 'sbx-prod-logs'):
        if '[%s]' % name not in remotes:
            fail('remote %s missing from the shared rclone.conf' % name)
    # One case package for the instance, covering both environments, and one summary of the instance.
    case = open(os.path.join(work, 'cases', 'sbx', 'saml_sso', 'case.md'), encoding='utf-8').read()
    if 'dev' not in case or 'prod' not in case:
        fail('the SAML case package should cover dev and prod:\n%s' % case)
    if os.listdir(os.path.join(work, 'cases')) != ['sbx']:
        fail('case packages outside the instance directory: %s' % os.listdir(os.path.join(work, 'cases')))
    summary = open(os.path.join(work, 'summaries', 'sbx.md'), encoding='utf-8').read()
    for text in ('| dev | non-production |', '| prod | production |', 'sbx-prod-logs', 'prod: mxapicrontaskdef Kafka'):
        if text not in summary:
            fail('the summary lacks %r:\n%s' % (text, summary))
    # In Manage: the provisioned instance active (not recreated), each environment's new instance with its parameters,
    # and each endpoint's password in its PASSWORD property row.
    state = json.load(urllib.request.urlopen(url + '/_sandbox/state'))
    instances = state['manage_kafka_cron_instances']
    if state['manage_objects']['mxapicrontaskdef'] != 1 or not instances.get('kafkacqin') or instances.get('kafkacqin1'):
        fail('the provisioned Kafka cron task should have kafkacqin active and no other definition: %s' % state)
    if not (instances.get('sbxdevsqout') and instances.get('sbxprodsqout')):
        fail('each environment should have its new Kafka cron task instance: %s' % instances)
    secret_rows = sorted(key.rsplit('/', 1)[1] for key in state['manage_object_secrets'])
    if secret_rows != ['PASSWORD', 'PASSWORD']:
        fail('each endpoint should hold its password as the PASSWORD property: %s' % secret_rows)
    secrets = [config['sandbox_api_key'], KAFKA_PASSWORD, buckets['custfile']['secret_access_key']]
    # Every artifact of the runs (stdout, job events, status, facts) except 'command', the runner's copy of the job's
    # input environment (the credentials injected, as AWX keeps them in its own credential store).
    checked = 0
    for path in glob.glob(os.path.join(data, 'artifacts', '**', '*'), recursive=True):
        if os.path.isfile(path) and os.path.basename(path) != 'command':
            checked += 1
            text = open(path, encoding='utf-8', errors='replace').read()
            leaked = [s for s in secrets if s in text]
            if leaked:
                fail('a secret appears in the runner artifact %s' % path)
    if checked < 10:
        fail('expected the runs to leave job events and stdout, found %d artifact files' % checked)
    print('onboarding through ansible-runner: 2 environments, second run unchanged, no secret in %d artifact files'
          % checked)
    colliding_names(config, work)


if __name__ == '__main__':
    main()
