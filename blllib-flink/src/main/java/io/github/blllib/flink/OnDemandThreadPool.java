package io.github.blllib.flink;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool whose threads follow the calls in flight: a call goes to an idle thread when there is
 * one, else to a new thread up to {@code maxThreads}, else it waits for the next free thread.
 * Idle threads end after a few seconds, and all of them at {@code shutdownNow()}; a thread
 * still in a call that ignores its interrupt ends with that call. Threads are daemons named
 * {@code prefix-1}, {@code prefix-2}, ...
 */
final class OnDemandThreadPool {

	private static final long KEEP_ALIVE_SECONDS = 5;

	private OnDemandThreadPool() {
	}

	static ExecutorService create(int maxThreads, String prefix) {
		HandOffQueue calls = new HandOffQueue();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(0, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, calls,
				daemonThreads(prefix), (call, executor) -> {
					if (executor.isShutdown()) {
						throw new RejectedExecutionException("The calls of " + prefix + " have ended");
					}
					calls.waitForAFreeThread(call);
					if (executor.getPoolSize() == 0) {
						// the last thread ended idle after this call found none free: start one for it
						executor.execute(() -> {
						});
					}
				});
		return pool;
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * The pool's queue, which takes a call only when an idle thread is waiting for one, so that
	 * the pool starts a thread (up to its maximum) rather than queue a call behind busy ones.
	 */
	private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

		private static final long serialVersionUID = 1L;

		@Override
		public boolean offer(Runnable call) {
			return tryTransfer(call);
		}

		/** Queues a call for the next thread that finishes one, when every thread is busy. */
		void waitForAFreeThread(Runnable call) {
			super.offer(call);
		}

	}

}
