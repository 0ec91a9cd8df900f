package io.kaiwa.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads this JVM's CPU time and the bytes its threads have allocated, so a benchmark can charge a block of work
 * with both. The upstream runs in another process, so everything counted here is the client's.
 */
final class Measure {
    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
            .getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
            .getThreadMXBean();

    private final long cpuStart;
    private final Map<Long, Long> allocatedStart;
    private final Map<Long, Long> appCpuStart;

    private Measure() {
        THREADS.setThreadAllocatedMemoryEnabled(true);
        allocatedStart = allocatedByThread();
        appCpuStart = applicationCpuByThread();
        cpuStart = OS.getProcessCpuTime();
    }

    static Measure start() {
        return new Measure();
    }

    /**
     * @return since {@link #start()}: the process's CPU nanoseconds, the bytes its threads allocated, and the CPU
     *         nanoseconds of its application threads alone (JIT compiler threads excluded: their work is warm-up
     *         left over, charged to whichever client happens to run)
     */
    long[] stop() {
        long cpu = OS.getProcessCpuTime() - cpuStart;
        long appCpu = 0;
        for (Map.Entry<Long, Long> e : applicationCpuByThread().entrySet()) {
            appCpu += e.getValue() - appCpuStart.getOrDefault(e.getKey(), 0L);
        }
        Map<Long, Long> now = allocatedByThread();
        long allocated = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            allocated += e.getValue() - allocatedStart.getOrDefault(e.getKey(), 0L);
        }
        return new long[]{cpu, allocated, appCpu};
    }

    private static Map<Long, Long> applicationCpuByThread() {
        var map = new HashMap<Long, Long>();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null || info.getThreadName().contains("CompilerThread")) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                map.put(info.getThreadId(), cpu);
            }
        }
        return map;
    }

    private static Map<Long, Long> allocatedByThread() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        var map = new HashMap<Long, Long>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                map.put(ids[i], bytes[i]);
            }
        }
        return map;
    }
}
