package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The (process id, secret key) pairs sent as BackendKeyData, one per live session, so a
 * CancelRequest on a new connection can be matched to the session it names. Process ids are unique
 * among live sessions; secret keys come from the injected random source.
 */
public final class BackendKeys {

  /** A session's key; {@code session} is what a matching CancelRequest cancels. */
  record Key(int processId, int secretKey, Cancellable session) {}

  /** What a CancelRequest acts on. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  private final Random random;
  private final AtomicInteger nextProcessId = new AtomicInteger(1);
  private final ConcurrentMap<Integer, Key> live = new ConcurrentHashMap<>();

  /** Keys with secrets from {@code random}: a SecureRandom outside tests. */
  public BackendKeys(Random random) {
    this.random = requireNonNull(random, "random");
  }

  Key register(Cancellable session) {
    while (true) {
      int processId = nextProcessId.getAndUpdate(p -> p == Integer.MAX_VALUE ? 1 : p + 1);
      Key key;
      synchronized (random) {
        key = new Key(processId, random.nextInt(), session);
      }
      if (live.putIfAbsent(processId, key) == null) {
        return key;
      }
    }
  }

  void unregister(Key key) {
    live.remove(key.processId(), key);
  }

  /**
   * Cancels the session with this key; returns whether one matched. A wrong secret matches nothing,
   * and the requester learns nothing either way (the server never answers a cancel).
   */
  public boolean cancel(int processId, int secretKey) {
    Key key = live.get(processId);
    if (key == null || key.secretKey() != secretKey) {
      return false;
    }
    key.session().cancel();
    return true;
  }

  /** How many sessions are registered. */
  public int size() {
    return live.size();
  }
}
