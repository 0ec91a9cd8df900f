package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

/**
 * A run's private writable folder on the host, mounted at {@link #MOUNT_POINT} in the sandbox.
 *
 * <p>
 * Everything in it was made by untrusted code, so it is read only after every process of the run is gone, never by
 * following a symbolic link (a link to {@code /etc/shadow} would otherwise be read with the service's rights), and
 * only regular files are opened (opening a FIFO would block).
 */
final class WorkFolder implements AutoCloseable {
    /** Where the code finds the folder: its working directory, the path OpenAI's code interpreter uses too. */
    static final String MOUNT_POINT = "/mnt/data";

    /** Walking more entries than this during the run counts as flooding the disk. */
    static final int MAX_ENTRIES = 10_000;

    /** Deeper than this, paths outgrow {@code PATH_MAX} anyway; bounds the recursion too. */
    private static final int MAX_DEPTH = 1_000;

    private static final Logger LOG = Logger.getLogger(WorkFolder.class);

    private final Path path;

    private WorkFolder(Path path) {
        this.path = path;
    }

    /** Makes a fresh folder only the sandbox user can use. */
    static WorkFolder create(Path root, SandboxUser user) throws IOException {
        Path path = Files.createTempDirectory(root, "kaiwa-sandbox-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (user instanceof SandboxUser.Dedicated dedicated) {
            try {
                Files.setAttribute(path, "unix:uid", dedicated.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", dedicated.gid(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(path);
                throw e;
            }
        }
        return new WorkFolder(path);
    }

    Path path() {
        return path;
    }

    /**
     * Measures the folder while the code may still be writing to it.
     *
     * @return the bytes in use, or {@link Long#MAX_VALUE} when there are more than {@link #MAX_ENTRIES} entries
     */
    long usage() {
        long[] bytesAndEntries = new long[2];
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return count(attrs);
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    return count(attrs);
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Files come and go while the code runs; a vanished one takes no space.
                    return FileVisitResult.CONTINUE;
                }

                private FileVisitResult count(BasicFileAttributes attrs) {
                    // Blocks, as a directory with a million empty files costs disk too.
                    bytesAndEntries[0] += Math.max(attrs.size(), 4096);
                    return ++bytesAndEntries[1] > MAX_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return bytesAndEntries[1] > MAX_ENTRIES ? Long.MAX_VALUE : bytesAndEntries[0];
    }

    /** The files to hand back and the names of those left out. */
    record Collected(List<OutputFile> files, List<String> skipped) {
    }

    /**
     * Reads the regular files the code left, in name order, until {@code maxFiles} or {@code maxBytes} would be passed.
     * Call only when no process of the run is left.
     */
    Collected collect(int maxFiles, long maxBytes) {
        TreeMap<String, Path> found = new TreeMap<>();
        visit(path, 0, (file, attrs) -> {
            if (attrs.isRegularFile() && found.size() <= MAX_ENTRIES) {
                found.put(path.relativize(file).toString(), file);
            }
        });
        List<OutputFile> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long budget = maxBytes;
        for (var entry : found.entrySet()) {
            byte[] bytes = files.size() < maxFiles ? read(entry.getValue(), budget) : null;
            if (bytes == null) {
                skipped.add(entry.getKey());
            } else {
                files.add(OutputFile.of(entry.getKey(), bytes));
                budget -= bytes.length;
            }
        }
        return new Collected(files, skipped);
    }

    /** Deletes the folder and everything in it, never following links out of it. */
    @Override
    public void close() {
        visit(path, 0, (file, attrs) -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Reported below when the folder itself cannot go.
            }
        });
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            LOG.warnf("could not delete the sandbox work folder %s", path);
        }
    }

    /**
     * Walks the tree depth first, handing every entry to {@code action} after its children. Unlike
     * {@link Files#walkFileTree}, it opens up each directory before listing it, so a directory the code locked with
     * {@code chmod 000} is still read (and deleted) when the service is not root.
     */
    private static void visit(Path entry, int depth, BiConsumer<Path, BasicFileAttributes> action) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return;
        }
        if (attrs.isDirectory() && depth < MAX_DEPTH) {
            try {
                Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException | UnsupportedOperationException e) {
                // Listing reports what still fails.
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(entry)) {
                for (Path child : children) {
                    visit(child, depth + 1, action);
                }
            } catch (IOException | DirectoryIteratorException e) {
                // What could be listed is handled; the rest stays and is reported on delete.
            }
        }
        action.accept(entry, attrs);
    }

    /** @return the content, or {@code null} when longer than {@code budget} or unreadable */
    private static byte[] read(Path file, long budget) {
        try {
            // A file the code made unreadable (chmod 000) is still its; as the same user the service must open it up.
            if (!Files.isReadable(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(budget + 1, Integer.MAX_VALUE - 8));
            return bytes.length > budget ? null : bytes;
        } catch (IOException e) {
            return null;
        }
    }
}
