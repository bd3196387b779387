package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The child group of the proxy's server: every accepted connection gets an event loop of its own,
 * one thread that is both the connection's I/O loop and its session's worker. A session's engine
 * blocks on JDBC, which a loop shared by many connections must never do; with a loop per connection
 * it may, so a statement is read, run and answered on one thread, with no hand-over between threads
 * (a shared loop plus a worker pool cost two per statement: the loop's wake-up of a worker, and the
 * worker's wake-up of the loop to write the answer). The thread ends when its connection closes.
 */
public final class ConnectionLoops extends AbstractEventExecutorGroup implements EventLoopGroup {

  private final ThreadFactory threads;
  private final EventLoopGroup shared;
  private final Set<EventLoopGroup> live = ConcurrentHashMap.newKeySet();
  private final Promise<Void> terminated = GlobalEventExecutor.INSTANCE.newPromise();
  private volatile boolean shuttingDown;

  /**
   * @param threads makes each connection's thread
   * @param shared answers {@link #next()}, which Netty uses for work that belongs to no connection
   */
  public ConnectionLoops(ThreadFactory threads, EventLoopGroup shared) {
    this.threads = requireNonNull(threads, "threads");
    this.shared = requireNonNull(shared, "shared");
  }

  @Override
  public ChannelFuture register(Channel channel) {
    EventLoopGroup loop = open();
    return closeWithChannel(loop, loop.register(channel));
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    EventLoopGroup loop = open();
    return closeWithChannel(loop, loop.register(promise));
  }

  @Deprecated
  @Override
  @SuppressWarnings("InlineMeSuggester") // Netty's interface declares it
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return register(promise);
  }

  /** A new one-thread loop, forgotten once it has terminated. */
  private EventLoopGroup open() {
    MultiThreadIoEventLoopGroup loop =
        new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
    live.add(loop);
    var unused =
        loop.terminationFuture()
            .addListener(
                f -> {
                  live.remove(loop);
                  completeIfDone();
                });
    if (shuttingDown) {
      stop(loop, 0); // accepted while the server shuts down: the loop closes it as it ends
    }
    return loop;
  }

  /** The loop ends when its channel closes, or at once if the channel could not be registered. */
  private static ChannelFuture closeWithChannel(EventLoopGroup loop, ChannelFuture registered) {
    return registered.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            var unused = f.channel().closeFuture().addListener(closed -> stop(loop, 2));
          } else {
            stop(loop, 0);
          }
        });
  }

  private static void stop(EventLoopGroup loop, long timeoutSeconds) {
    var unused = loop.shutdownGracefully(0, timeoutSeconds, TimeUnit.SECONDS);
  }

  @Override
  public EventLoop next() {
    return shared.next();
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return Collections.emptyIterator();
  }

  @Override
  public boolean isShuttingDown() {
    return shuttingDown;
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    shuttingDown = true;
    for (EventLoopGroup loop : List.copyOf(live)) {
      var unused = loop.shutdownGracefully(quietPeriod, timeout, unit);
    }
    completeIfDone();
    return terminated;
  }

  private void completeIfDone() {
    if (shuttingDown && live.isEmpty()) {
      var unused = terminated.trySuccess(null);
    }
  }

  @Override
  public Future<?> terminationFuture() {
    return terminated;
  }

  @Deprecated
  @Override
  public void shutdown() {
    var unused = shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Override
  public boolean isShutdown() {
    return shuttingDown;
  }

  @Override
  public boolean isTerminated() {
    return terminated.isDone();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }
}
