package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host account sandboxed code runs as. A closed set: {@link CurrentUser} or a {@link Dedicated} uid.
 *
 * <p>
 * A service running as root must use a {@link Dedicated} uid: a root-launched sandbox would hold host uid 0, for which
 * the kernel does not enforce the process-count limit, and an escape would land as root. A service running as an
 * ordinary user cannot switch uid and uses {@link CurrentUser}; bubblewrap then builds the sandbox from an unprivileged
 * user namespace. Either way the process-count limit counts only the processes inside one run's own user namespace, so
 * concurrent runs, and the service's own threads, do not share it.
 */
public sealed interface SandboxUser permits SandboxUser.CurrentUser, SandboxUser.Dedicated {

    /**
     * The uid {@link #forThisProcess()} picks when the service runs as root: outside Debian's allocated ranges
     * (65000-65533 is "reserved", never handed out by packages or {@code adduser}), below 65536 so rootless container
     * id maps still map it, and not {@code nobody} (65534), which other software shares.
     */
    int DEFAULT_DEDICATED_UID = 65_000;

    /** @return the sandbox runs as the service's own user, through an unprivileged user namespace */
    static SandboxUser current() {
        return CurrentUser.INSTANCE;
    }

    /**
     * @param uid the host uid, not 0; no other software should use it
     * @param gid the host gid, not 0
     * @return the sandbox switches to this uid and gid with {@code setpriv} before starting bubblewrap (needs root)
     */
    static SandboxUser dedicated(int uid, int gid) {
        return new Dedicated(uid, gid);
    }

    /**
     * Picks the account for this JVM: {@link #dedicated(int, int)} with {@link #DEFAULT_DEDICATED_UID} when the JVM
     * runs as root, {@link #current()} otherwise (or when {@code /proc/self/status} cannot be read).
     *
     * @return the account to run sandboxes as; never {@code null}
     */
    static SandboxUser forThisProcess() {
        return realUid() == 0 ? dedicated(DEFAULT_DEDICATED_UID, DEFAULT_DEDICATED_UID) : current();
    }

    /** The service's own user; see {@link SandboxUser}. */
    record CurrentUser() implements SandboxUser {
        static final CurrentUser INSTANCE = new CurrentUser();
    }

    /**
     * A dedicated unprivileged host account (it needs no {@code /etc/passwd} entry).
     *
     * @param uid the host uid, greater than 0
     * @param gid the host gid, greater than 0
     */
    record Dedicated(int uid, int gid) implements SandboxUser {
        public Dedicated {
            if (uid <= 0 || gid <= 0) {
                throw new IllegalArgumentException("a dedicated sandbox uid/gid must be > 0, got " + uid + "/" + gid);
            }
        }
    }

    /** @return this JVM's real uid from {@code /proc/self/status}, or -1 when it cannot be read */
    static int realUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc hidden: the availability probe decides what works.
        }
        return -1;
    }
}
