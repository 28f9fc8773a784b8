#!/usr/bin/python3
# Run a command on a new pseudo-terminal and relay it: stdin -> pty, pty -> stdout. Lines "COLS ROWS" on
# fd 3 (when CTL is "fd3") resize the terminal (TIOCSWINSZ, so the program inside gets SIGWINCH). Exits
# with the command's status when it ends. Node has no pty of its own, and Debian's python3 keeps the agent
# free of native modules. Usage: pty-relay.py COLS ROWS CTL -- COMMAND [ARGS...]   (CTL: fd3 or none)
import errno, fcntl, os, pty, select, struct, sys, termios

def main():
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    cmd = sys.argv[5:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    def resize(c, r):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', max(1, min(r, 500)), max(1, min(c, 1000)), 0, 0))
    resize(cols, rows)
    ctl = 3 if sys.argv[3] == 'fd3' else None
    buf = b''
    watch = [0, fd] + ([ctl] if ctl is not None else [])
    while True:
        try:
            ready, _, _ = select.select(watch, [], [])
        except InterruptedError:
            continue
        if fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError as e:
                if e.errno == errno.EIO:
                    break  # the program inside ended
                raise
            if not data:
                break
            os.write(1, data)
        if 0 in ready:
            data = os.read(0, 65536)
            if not data:
                watch.remove(0)  # stdin closed: keep relaying output until the program ends
            else:
                os.write(fd, data)
        if ctl is not None and ctl in ready:
            data = os.read(ctl, 4096)
            if not data:
                watch.remove(ctl)
                ctl = None
                continue
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                parts = line.split()
                if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    resize(int(parts[0]), int(parts[1]))
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else 0)

main()
