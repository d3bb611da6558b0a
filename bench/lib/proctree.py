"""What a server's whole process tree costs, read from /proc: CPU seconds
(utime+stime, and cutime+cstime of children it already reaped, so Postfix's
smtpd/cleanup/local and Dovecot's per-connection processes count) and
memory (RSS and PSS summed over the live processes)."""
import os

TICK = os.sysconf("SC_CLK_TCK")


def _stat_table():
    """{pid: (ppid, cpu_seconds)} of every process readable now."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(entry)] = (int(fields[1]), sum(int(v) for v in fields[11:15]) / TICK)
    return table


def tree_pids(root_pid, table=None):
    """root_pid and every descendant (a pid whose parent chain reaches it)."""
    table = table if table is not None else _stat_table()
    out = []
    for pid in table:
        p, hops = pid, 0
        while p not in (root_pid, 0, 1) and p in table and hops < 64:
            p, hops = table[p][0], hops + 1
        if p == root_pid:
            out.append(pid)
    return out


def tree_cpu_seconds(root_pid):
    """CPU seconds the tree has used so far; None when root_pid is gone."""
    table = _stat_table()
    if root_pid not in table:
        return None
    return sum(table[p][1] for p in tree_pids(root_pid, table))


def tree_memory_kib(root_pid):
    """{"rss", "pss"} KiB summed over the live processes of the tree; None
    when it is gone. RSS counts a shared page once per process (Postfix's
    and Dovecot's many processes share their libraries), PSS splits it
    between them: summed over a tree, PSS is the memory it really holds."""
    table = _stat_table()
    if root_pid not in table:
        return None
    total = {"rss": 0, "pss": 0}
    for pid in tree_pids(root_pid, table):
        for path, key, field in (("status", "rss", "VmRSS:"), ("smaps_rollup", "pss", "Pss:")):
            try:
                with open("/proc/%d/%s" % (pid, path)) as f:
                    total[key] += next((int(line.split()[1]) for line in f if line.startswith(field)), 0)
            except OSError:
                pass
    return total


def pid_from_file(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
