import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The load benchmark's reference floor: the least a JVM service on Vert.x can do between a client and the mock
 * upstream (read the body, send it on, send the answer back: no JSON, no storage, no authentication). Its added
 * latency and throughput show what any service built like Kaiwa pays on the machine at hand before doing any work.
 *
 * <p>Run with the service's libraries: {@code java -cp 'agent-runtime/target/quarkus-app/lib/main/*' FloorProxy.java
 * <port> <upstream port>}.
 */
public class FloorProxy extends AbstractVerticle {
    private final int port;
    private final int upstreamPort;
    private HttpClient client;

    FloorProxy(int port, int upstreamPort) {
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        // Like the service: native transport, an event loop per core twice over, a verticle on each.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(() -> new FloorProxy(port, upstreamPort), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("floor proxy on 127.0.0.1:" + port + ", native transport "
                        + vertx.isNativeTransportEnabled()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(Promise<Void> started) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64));
        var upstream = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(upstreamPort)
                .setURI("/v1/chat/completions").putHeader("content-type", "application/json");
        vertx.createHttpServer().requestHandler(request -> request.body()
                .compose(body -> client.request(upstream).compose(out -> out.send(body)))
                .compose(answer -> answer.body().onSuccess(bytes -> request.response()
                        .setStatusCode(answer.statusCode())
                        .putHeader("content-type", answer.getHeader("content-type")).end(bytes)))
                .onFailure(failure -> request.response().setStatusCode(502).end()))
                .listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
    }
}
