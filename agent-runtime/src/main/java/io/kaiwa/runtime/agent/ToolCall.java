package io.kaiwa.runtime.agent;

import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.runtime.tools.BuiltInTool;

/**
 * A function call of a built-in tool Kaiwa runs, at its position in the model call's output.
 *
 * @param index its position in the model call's output
 * @param tool the tool
 * @param item the model's call, with its arguments
 */
record ToolCall(int index, BuiltInTool tool, FunctionCallItem item) {
}
