package io.kaiwa.runtime.tools;

import java.time.Duration;

import io.kaiwa.core.item.FunctionCallItem;
import io.smallrye.mutiny.Uni;

/** Runs the built-in tools Kaiwa runs itself; {@link LocalTools} as configured, or a test's own. */
public interface ToolRunner {

    /**
     * @param tool a built-in tool
     * @return why it cannot run here (a sentence for an error message), or {@code null} when it can
     */
    String unavailable(BuiltInTool tool);

    /**
     * @param tool the tool the model called
     * @param call the model's function call, with its arguments
     * @param timeout the longest the call may take
     * @return the call's outcome, never a failure: whatever goes wrong, the model reads it as the tool's error
     */
    Uni<ToolRun> run(BuiltInTool tool, FunctionCallItem call, Duration timeout);
}
