package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs one connection's tasks one at a time, in arrival order, on a shared worker pool: the engine
 * blocks on JDBC, which must never happen on a Netty event loop. When more than {@value
 * #MAX_PENDING} tasks wait (a client pipelining faster than the nodes answer), the channel stops
 * reading until half of them ran, so a connection's memory stays bounded.
 */
final class SerialQueue {

  static final int MAX_PENDING = 128;

  private final Executor workers;
  private final Channel channel;
  private final Queue<Runnable> pending = new ArrayDeque<>();
  private boolean running;

  SerialQueue(Executor workers, Channel channel) {
    this.workers = requireNonNull(workers, "workers");
    this.channel = requireNonNull(channel, "channel");
  }

  synchronized void add(Runnable task) {
    pending.add(task);
    if (pending.size() >= MAX_PENDING) {
      channel.config().setAutoRead(false);
    }
    if (!running) {
      running = true;
      workers.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (this) {
        task = pending.poll();
        if (task == null) {
          running = false;
          return;
        }
        if (pending.size() == MAX_PENDING / 2 && !channel.config().isAutoRead()) {
          channel.config().setAutoRead(true);
        }
      }
      task.run();
    }
  }
}
