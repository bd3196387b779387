package io.zynamo.proxy;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.execution.Engine;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Authenticator;
import io.zynamo.proxy.auth.PasswordAuthenticator;
import io.zynamo.proxy.auth.TrustAuthenticator;
import io.zynamo.proxy.session.BackendKeys;
import io.zynamo.proxy.session.ConnectionLoops;
import io.zynamo.proxy.session.Sessions;
import io.zynamo.proxy.wire.MessageEncoder;
import io.zynamo.proxy.wire.StartupDecoder;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The PostgreSQL wire-protocol server: accepts clients on a Netty event loop and runs each
 * session's statements through the same engine as the driver ({@link Engine}), on worker threads,
 * since the engine blocks on JDBC. Closing it stops accepting, closes every connection, then the
 * engine and its node pools.
 *
 * <pre>
 *   socket -> StartupDecoder -> MessageDecoder -> ConnectionHandler -> SerialQueue (worker)
 *                                                    |                      -> Session -> engine
 *   socket <- MessageEncoder <---------------------- Replies <-----------------'
 * </pre>
 */
public final class ProxyServer implements AutoCloseable {

  /** Node connections use text transfer, so every value reaches the proxy as PostgreSQL's text. */
  static final String NODE_TEXT_TRANSFER = "binaryTransfer";

  private final ProxyConfig config;
  private final Engine engine;
  private final EventLoopGroup acceptor;
  private final EventLoopGroup loops;
  private final Channel server;

  private ProxyServer(ProxyConfig config, Engine engine) throws InterruptedException {
    this.config = config;
    this.engine = engine;
    ProxyConfig.Tls tls = config.tls();
    SslContext ssl = tls == null ? null : sslContext(tls); // before any thread starts
    this.acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.loops = new ConnectionLoops(daemonThreads("zynamo-session-"), acceptor);
    SecureRandom random = new SecureRandom();
    Authenticator authenticator =
        config.auth() == AuthMethod.TRUST
            ? new TrustAuthenticator()
            : new PasswordAuthenticator(config.auth(), config.users(), random);
    Sessions sessions =
        new Sessions(
            this::open,
            authenticator,
            new BackendKeys(random),
            config.maxConnections(),
            config.maxMessageBytes(),
            ssl,
            tls != null && tls.required(),
            config.timeouts());
    MessageEncoder encoder = new MessageEncoder();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, loops)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast("startup", new StartupDecoder(config.maxMessageBytes()))
                        .addLast("encoder", encoder)
                        .addLast("session", sessions.newHandler(channel));
                  }
                });
    try {
      this.server = bootstrap.bind(config.host(), config.port()).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      shutDownLoops();
      throw e;
    }
  }

  /**
   * Starts listening.
   *
   * @throws InterruptedException if interrupted while binding
   */
  public static ProxyServer start(ProxyConfig config) throws InterruptedException {
    requireNonNull(config, "config");
    return new ProxyServer(config, new Engine(Clock.systemUTC()));
  }

  /**
   * The server TLS context from the configured PEM files.
   *
   * @throws IllegalArgumentException if they cannot be read or do not form a key pair
   */
  private static SslContext sslContext(ProxyConfig.Tls tls) {
    try {
      return SslContextBuilder.forServer(tls.certificate().toFile(), tls.key().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TLS certificate " + tls.certificate() + " or key " + tls.key() + ": " + e.getMessage(),
          e);
    }
  }

  /** The port it listens on (the chosen one when the configuration said 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public String host() {
    return config.host();
  }

  private StatementExecutor open(String user, String database) throws SQLException {
    String url =
        "jdbc:zynamo://"
            + String.join(",", config.nodes())
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8);
    Properties info = new Properties();
    info.putAll(config.clusterProperties());
    if (!info.containsKey("user")) {
      info.setProperty("user", user); // trust: the nodes decide what the client's user may do
    }
    info.setProperty(NODE_TEXT_TRANSFER, "false");
    return engine.open(ZynamoUrl.parse(url, info));
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    shutDownLoops();
    engine.close();
  }

  private void shutDownLoops() {
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    // A connection's loop ends once its session is closed; one blocked in a statement gets 10 s.
    var unused = loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
