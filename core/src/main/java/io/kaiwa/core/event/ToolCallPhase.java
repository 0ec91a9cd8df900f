package io.kaiwa.core.event;

/** The phases a tool call reports while streaming, as the Responses API's tool events name them. */
public enum ToolCallPhase {
    /** The call started ({@code response.*_call.in_progress}). */
    IN_PROGRESS,
    /** A web search is running ({@code response.web_search_call.searching}). */
    SEARCHING,
    /** Code is running ({@code response.code_interpreter_call.interpreting}). */
    INTERPRETING,
    /** A function call's arguments grew ({@code response.function_call_arguments.delta}). */
    ARGUMENTS_DELTA,
    /** A code interpreter call's code grew ({@code response.code_interpreter_call_code.delta}). */
    CODE_DELTA,
    /** The call finished ({@code response.*_call.completed}, {@code response.function_call_arguments.done}). */
    COMPLETED
}
