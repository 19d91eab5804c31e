package io.github.blllib.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A remote service that answers every call a fixed latency after it was made, as a
 * non-blocking client sees one: callers hand requests to the service's one thread through a
 * lock-free queue (as Netty's event loops take their work) and get a future that thread
 * completes. Calls are answered in the order they were made, since they all take as long.
 * <p>
 * A {@code ScheduledThreadPoolExecutor} shared by the caller and its timer thread would do the
 * same with a lock that both take for every call; on 2 cores that contention, not the pipeline,
 * set the pace of the async candidate (71-79% of ideal at batch 512 where this service gives
 * about 86%).
 */
final class SimulatedRemoteService implements AutoCloseable {

	private final long latencyNanos;

	private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

	private final Thread thread;

	private volatile boolean idle;

	private volatile boolean closed;

	SimulatedRemoteService(String name, long latencyNanos) {
		this.latencyNanos = latencyNanos;
		this.thread = new DaemonThreads(name).newThread(this::answer);
		this.thread.start();
	}

	/** A call whose future completes with {@code value} after the latency. Any thread. */
	<T> CompletableFuture<T> call(T value) {
		CompletableFuture<T> reply = new CompletableFuture<>();
		this.requests.add(new Request(System.nanoTime() + this.latencyNanos, reply, value));
		if (this.idle) {
			LockSupport.unpark(this.thread);
		}
		return reply;
	}

	@SuppressWarnings("unchecked")
	private void answer() {
		while (!this.closed) {
			Request request = this.requests.peek();
			if (request == null) {
				this.idle = true;
				if (this.requests.isEmpty()) {
					LockSupport.parkNanos(this.latencyNanos);
				}
				this.idle = false;
				continue;
			}
			long wait = request.due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
				continue;
			}
			this.requests.poll();
			((CompletableFuture<Object>) request.reply).complete(request.value);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		LockSupport.unpark(this.thread);
		this.thread.join();
	}

	private record Request(long due, CompletableFuture<?> reply, Object value) {
	}

}
