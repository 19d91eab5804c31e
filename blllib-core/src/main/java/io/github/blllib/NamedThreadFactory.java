package io.github.blllib;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix} or {@code prefix-n}, so a thread dump explains itself. */
final class NamedThreadFactory implements ThreadFactory {

	private final String prefix;

	private final boolean numbered;

	private final AtomicInteger count = new AtomicInteger();

	NamedThreadFactory(String prefix) {
		this(prefix, false);
	}

	NamedThreadFactory(String prefix, boolean numbered) {
		this.prefix = prefix;
		this.numbered = numbered;
	}

	@Override
	public Thread newThread(Runnable task) {
		String name = this.numbered ? this.prefix + "-" + this.count.incrementAndGet() : this.prefix;
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
