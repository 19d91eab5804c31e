package io.github.blllib;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run of a pipeline whose stages all run on the consuming thread (a sequential pipeline, or
 * one where every stage runs in master): a loop over the input iterator through one
 * {@link InMasterChain}, with no other thread and nothing to wait for. The per-item path is kept
 * small, so that the JIT can compile it into the consumer's own loop as it does a stream's.
 */
final class InMasterPipelineRun<O> implements PipelineRun<O> {

	private final Pipeline<?, O> pipeline;

	private final Iterable<?> inputs;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Object lifecycle = new Object();

	private InMasterChain chain;

	/** The input while the run is pulled: null before the first pull and after the end. */
	private Iterator<?> iterator;

	/** The thread that started the run; the only one that pulls it. */
	private Thread consumer;

	/** Null inputs read; with the items that entered the chain, the inputs read. */
	private long nullInputs;

	private Object next;

	private boolean ended;

	InMasterPipelineRun(Pipeline<?, O> pipeline, Iterable<?> inputs) {
		this.pipeline = pipeline;
		this.inputs = inputs;
	}

	@Override
	public boolean hasNext() {
		return this.next != null || fetchNext();
	}

	@Override
	@SuppressWarnings("unchecked")
	public O next() {
		Object item = this.next;
		if (item == null) {
			if (!fetchNext()) {
				throw new NoSuchElementException("Pipeline '" + this.pipeline.name() + "' has no more output");
			}
			item = this.next;
		}
		this.next = null;
		return (O) item;
	}

	private boolean fetchNext() {
		Iterator<?> inputs = this.iterator;
		if (inputs == null || this.closed.get()) {
			return fetchOutsideTheLoop();
		}
		try {
			while (sourceHasNext(inputs)) {
				Object item = sourceNext(inputs);
				Object output = (item != null) ? this.chain.accept(item) : nullInput();
				if (output != null) {
					this.next = output;
					return true;
				}
				if (this.closed.get()) {
					// closed from another thread while inputs kept being dropped
					break;
				}
			}
		}
		catch (RuntimeException | Error ex) {
			end();
			throw ex;
		}
		end();
		return false;
	}

	private Object nullInput() {
		this.nullInputs++;
		return null;
	}

	/** The first pull, or a pull after the run ended or was closed. */
	private boolean fetchOutsideTheLoop() {
		if (this.ended) {
			return false;
		}
		if (this.closed.get()) {
			end();
			return false;
		}
		try {
			if (!start()) {
				return false;
			}
		}
		catch (RuntimeException | Error ex) {
			end();
			throw ex;
		}
		return fetchNext();
	}

	private boolean start() {
		synchronized (this.lifecycle) {
			if (this.closed.get()) {
				return false;
			}
			this.chain = new InMasterChain(this.pipeline.name(), this.pipeline.counters());
			this.consumer = Thread.currentThread();
		}
		this.pipeline.runStarted();
		try {
			this.iterator = this.inputs.iterator();
		}
		catch (RuntimeException | Error ex) {
			throw sourceFailed(ex);
		}
		return true;
	}

	private boolean sourceHasNext(Iterator<?> inputs) {
		try {
			return inputs.hasNext();
		}
		catch (RuntimeException | Error ex) {
			throw sourceFailed(ex);
		}
	}

	private Object sourceNext(Iterator<?> inputs) {
		try {
			return inputs.next();
		}
		catch (RuntimeException | Error ex) {
			throw sourceFailed(ex);
		}
	}

	private PipelineException sourceFailed(Throwable ex) {
		long read = (this.chain != null) ? this.chain.entered() + this.nullInputs : 0;
		return new PipelineException(this.pipeline.name(), StageSpec.SOURCE, read, ex);
	}

	/** The consumer's last step: publishes what it counted alone and closes the run. */
	private void end() {
		this.ended = true;
		this.iterator = null;
		if (this.chain != null) {
			this.chain.publishCounts();
		}
		close();
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		synchronized (this.lifecycle) {
			if (this.consumer == Thread.currentThread()) {
				this.chain.publishCounts();
			}
		}
		this.pipeline.runEnded(this);
	}

}
