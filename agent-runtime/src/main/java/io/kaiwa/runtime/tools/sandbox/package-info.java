/**
 * The engine of the {@code code_interpreter} tool: {@link io.kaiwa.runtime.tools.sandbox.PythonSandbox} runs
 * model-written Python under bubblewrap with no network, no view of the host, resource limits and a deadline, and
 * returns its output and files as a {@link io.kaiwa.runtime.tools.sandbox.SandboxResult}.
 *
 * <p>
 * Host requirements (Debian): {@code bubblewrap} 0.8.0 or later, {@code python3}, and {@code util-linux} (for
 * {@code setpriv}, needed when the service runs as root); the kernel must allow unprivileged user namespaces.
 */
package io.kaiwa.runtime.tools.sandbox;
