#!/usr/bin/env python3
# The tone of the spikes `earshot report` finds at the simulator's injected
# events, through the CLI as a user runs it: for each of three seeds, a
# 120-day X-only world of 80,000 mentions, its watches, one ingest and one
# report; an event counts when a volume spike of its watch overlaps it, and
# its tone is right when an incident reads "negative" and a launch "positive".
#   bench/spike_tone.py [WORK_DIR]     (EARSHOT_BIN overrides build/release/earshot)
import datetime, json, os, subprocess, sys
BIN=os.environ.get('EARSHOT_BIN', 'build/release/earshot')
WORK=sys.argv[1] if len(sys.argv) > 1 else '/tmp/earshot-spike-tone'
def sh(*a): return subprocess.run([BIN,*a],capture_output=True,text=True)
tot={'incident':[0,0],'launch':[0,0]}
for seed in (1,2,3):
    d=f'{WORK}/s{seed}'; subprocess.run(['rm','-rf',d])
    r=sh('simulate','--mentions','80000','--days','120','--seed',str(seed),'--x-only','--out',d+'/world'); assert r.returncode==0, r.stderr
    for line in open(d+'/world/truth/watches.jsonl'):
        w=json.loads(line); sh('--data',d+'/store','watch','add',w['name'],w['query'],'--group',w['group'])
    r=sh('--data',d+'/store','ingest',d+'/world/x'); assert r.returncode==0, r.stderr
    rep=json.loads(sh('--data',d+'/store','report','--json','--from','2026-01-05','--to','2026-05-05').stdout)
    for line in open(d+'/world/truth/events.jsonl'):
        e=json.loads(line)
        st=datetime.datetime.fromisoformat(e['start'].replace('Z','+00:00')); en=datetime.datetime.fromisoformat(e['end'].replace('Z','+00:00'))
        hits=[s for s in rep['spikes'] if s['watch']==e['watch'] and s['direction']=='up' and
              datetime.datetime.fromisoformat(s['start'].replace('Z','+00:00'))<en and datetime.datetime.fromisoformat(s['end'].replace('Z','+00:00'))>st]
        want='negative' if e['direction']=='down' else 'positive'
        k=e['kind'] if e['kind'] in tot else None
        if k is None or not hits: continue
        tot[k][1]+=1
        if any(s['tone']==want for s in hits): tot[k][0]+=1
    print(seed, tot, flush=True)
