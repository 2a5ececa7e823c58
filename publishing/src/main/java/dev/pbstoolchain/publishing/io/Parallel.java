package dev.pbstoolchain.publishing.io;

import dev.pbstoolchain.publishing.PublishingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads several packages at once (hashing is the cost: one core per package), keeping their order
 * and failing with the first package's error in that order.
 */
public final class Parallel {

  /** One item's work. */
  @FunctionalInterface
  public interface Work<T, R> {
    R apply(T item) throws PublishingException;
  }

  private Parallel() {}

  public static <T, R> List<R> map(List<T> items, Work<T, R> work) throws PublishingException {
    int threads = Math.min(items.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      List<R> results = new ArrayList<>(items.size());
      for (T item : items) {
        results.add(work.apply(item));
      }
      return results;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "pbs-publishing-read");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> results = new ArrayList<>(items.size());
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PublishingException p) {
        throw p;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PublishingException.failure("Interrupted while reading packages", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
