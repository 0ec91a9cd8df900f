package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts one run. The code itself never appears in it: it travels on stdin.
 *
 * <pre>
 * [setpriv --reuid=U --regid=G --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all --]
 * bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --as-pid-1 --hostname sandbox
 *       --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 ...
 *       --proc /proc --dev /dev --size D --tmpfs /dev/shm --size D --tmpfs /tmp --bind WORK /mnt/data
 *       --remount-ro /dev --remount-ro / --chdir /mnt/data --clearenv --setenv PATH /usr/bin:/bin ...
 *       PYTHON -I -S -c INIT cpu as nproc fsize nofile -- PYTHON -B -u -s -
 * </pre>
 */
final class SandboxCommand {
    /** Open files per process; enough for Python and its libraries, too few to matter as a resource. */
    static final int MAX_OPEN_FILES = 256;

    /**
     * The sandbox's pid 1, run with {@code --as-pid-1}. It takes the resource limits itself (the code's interpreter
     * inherits them), makes itself undumpable, forks the interpreter, reaps
     * orphans, and exits with the interpreter's status (128 + signal when killed); its exit makes the kernel kill every
     * process left in the pid namespace, and bubblewrap exits only after that, so a finished run leaves nothing behind.
     * The limits go on inside the sandbox rather than with prlimit around bubblewrap because only inside is
     * {@code RLIMIT_NPROC} counted per user namespace: outside it would count every process of the uid, the service's
     * own threads included when it runs as the current user. The code runs as pid 2, where signals behave normally.
     */
    static final String INIT = """
            import ctypes, os, resource, sys
            cpu, mem, nproc, fsize, nofile = map(int, sys.argv[1:6])
            # The limits go on pid 1 itself, before the fork, so that the code cannot escape them by taking over an
            # unlimited parent; and pid 1 is made undumpable (PR_SET_DUMPABLE = 4), so the code cannot ptrace it.
            for res, soft, hard in ((resource.RLIMIT_CPU, cpu, cpu + 1), (resource.RLIMIT_AS, mem, mem),
                    (resource.RLIMIT_NPROC, nproc, nproc), (resource.RLIMIT_FSIZE, fsize, fsize),
                    (resource.RLIMIT_NOFILE, nofile, nofile), (resource.RLIMIT_CORE, 0, 0)):
                resource.setrlimit(res, (soft, hard))
            if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:
                sys.exit("sandbox init: prctl(PR_SET_DUMPABLE) failed")
            pid = os.fork()
            if pid == 0:
                try:
                    os.execv(sys.argv[7], sys.argv[7:])
                except BaseException as e:
                    print("sandbox init:", e, file=sys.stderr, flush=True)
                os._exit(127)
            while True:
                try:
                    done, status = os.waitpid(-1, 0)
                except InterruptedError:
                    continue
                if done == pid:
                    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
            """;

    private static final List<String> MERGED_USR_LINKS = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

    private SandboxCommand() {
    }

    /** @return the argv for a run in {@code workFolder} */
    static List<String> build(SandboxSettings settings, Path workFolder) {
        List<String> argv = new ArrayList<>();
        if (settings.user() instanceof SandboxUser.Dedicated dedicated) {
            argv.addAll(List.of(settings.setpriv().toString(), "--reuid=" + dedicated.uid(),
                    "--regid=" + dedicated.gid(), "--clear-groups", "--no-new-privs", "--inh-caps=-all",
                    "--bounding-set=-all", "--"));
        }
        String disk = Long.toString(settings.maxDiskBytes());
        argv.addAll(List.of(settings.bwrap().toString(), "--unshare-all", "--unshare-user", "--disable-userns",
                "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox", "--ro-bind", "/usr",
                "/usr"));
        addSystemLinks(argv);
        for (Path path : settings.readOnlyPaths()) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", disk, "--tmpfs", "/dev/shm", "--size", disk,
                "--tmpfs", "/tmp", "--bind", workFolder.toString(), WorkFolder.MOUNT_POINT, "--remount-ro", "/dev",
                "--remount-ro", "/", "--chdir", WorkFolder.MOUNT_POINT, "--clearenv"));
        setenv(argv, "PATH", "/usr/local/bin:/usr/bin:/bin");
        setenv(argv, "HOME", "/tmp");
        setenv(argv, "TMPDIR", "/tmp");
        setenv(argv, "LANG", "C.UTF-8");
        setenv(argv, "PYTHONDONTWRITEBYTECODE", "1");
        setenv(argv, "PYTHONUNBUFFERED", "1");
        // Thread pools sized to the host's cores would trip the process limit (threads count).
        setenv(argv, "OMP_NUM_THREADS", "1");
        setenv(argv, "OPENBLAS_NUM_THREADS", "1");
        setenv(argv, "MPLBACKEND", "Agg");
        String python = settings.python().toString();
        argv.addAll(List.of(python, "-I", "-S", "-c", INIT, Long.toString(settings.cpuSeconds()),
                Long.toString(settings.memoryBytes()), Integer.toString(settings.maxProcesses()),
                Long.toString(settings.maxFileBytes()), Integer.toString(MAX_OPEN_FILES), "--", python, "-B", "-u",
                "-s", "-"));
        return argv;
    }

    /**
     * Recreates the host's top-level {@code /bin}, {@code /lib}... inside: as the same link where the host has merged
     * {@code /usr} (Debian 12), as a read-only bind where it has a real directory.
     */
    private static void addSystemLinks(List<String> argv) {
        for (String name : MERGED_USR_LINKS) {
            Path host = Path.of("/", name);
            try {
                if (Files.isSymbolicLink(host)) {
                    argv.addAll(List.of("--symlink", Files.readSymbolicLink(host).toString(), host.toString()));
                } else if (Files.isDirectory(host)) {
                    argv.addAll(List.of("--ro-bind", host.toString(), host.toString()));
                }
            } catch (IOException e) {
                // Not there: the sandbox goes without it, as the host does.
            }
        }
    }

    private static void setenv(List<String> argv, String name, String value) {
        argv.addAll(List.of("--setenv", name, value));
    }
}
