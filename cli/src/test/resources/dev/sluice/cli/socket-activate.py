# What systemd does for a socket unit with Accept=no, in small (sd_listen_fds(3)): bind and listen
# on 127.0.0.1, an ephemeral port, print it, wait until the file GO exists (the test connects in
# between: the kernel queues those connections), then exec COMMAND with the socket as fd 3 and
# LISTEN_FDS=1, LISTEN_PID=this pid (exec keeps it). With --no-socket: the variables, no fd 3.
#
#   python3 socket-activate.py [--no-socket] GO COMMAND [ARG...]
import os
import socket
import sys
import time

args = sys.argv[1:]
no_socket = args[0] == "--no-socket"
if no_socket:
    args = args[1:]
go, command = args[0], args[1:]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print("socket-activate: listening on port %d" % s.getsockname()[1], flush=True)
while not os.path.exists(go):
    time.sleep(0.01)
if no_socket:
    s.close()
else:
    fd = s.detach()
    if fd != 3:
        os.dup2(fd, 3)  # inheritable
        os.close(fd)
    os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(command[0], command)
