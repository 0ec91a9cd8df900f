package io.kaiwa.runtime.tools.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses it stands for. {@link WebExtractor} asks once per host and hop, checks every
 * answer and connects to the first one, so a name that resolves differently later (DNS rebinding) cannot move a
 * connection that was already checked.
 *
 * <p>
 * Implementations may block: the extractor always calls them on a Vert.x worker thread, never on an event loop.
 * They may be called from several threads at once.
 */
@FunctionalInterface
public interface HostResolver {
    /**
     * @param host a lower-case ASCII host name that is not an IP literal
     * @return its addresses, in the order to try them; empty when it has none
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** @return the operating system's resolver ({@link InetAddress#getAllByName}) */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
