package io.github.blllib;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code prefix} or {@code prefix-n}, so a thread dump explains itself. */
final class NamedThreadFactory implements ThreadFactory {

	private final String prefix;

	private final boolean numbered;

	private final AtomicInteger count = new AtomicInteger();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

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
		this.threads.removeIf((old) -> old.getState() == Thread.State.TERMINATED);
		this.threads.add(thread);
		return thread;
	}

	/** The threads made so far that have not ended. */
	List<Thread> threads() {
		return List.copyOf(this.threads);
	}

}
