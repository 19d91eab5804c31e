package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * The pipelines built by the application's {@link io.github.blllib.PipelineFactory} bean that
 * are not closed yet, in creation order. A pipeline leaves when it is closed.
 *
 * <p>When the application context closes, every open pipeline is closed, which ends its run
 * and releases its dedicated threads. That happens as soon as the context starts closing,
 * before the shared worker pool stops taking work.
 */
class OpenPipelines implements ApplicationListener<ContextClosedEvent>, ApplicationContextAware, Ordered,
		DisposableBean {

	private final List<Pipeline<?, ?>> pipelines = new ArrayList<>();

	private final PipelineListener registrar = new PipelineListener() {

		@Override
		public void pipelineCreated(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.add(pipeline);
			}
		}

		@Override
		public void pipelineClosed(Pipeline<?, ?> pipeline) {
			synchronized (OpenPipelines.this.pipelines) {
				OpenPipelines.this.pipelines.removeIf((open) -> open == pipeline);
			}
		}

	};

	private ApplicationContext applicationContext;

	/** The open pipelines, in creation order. */
	List<Pipeline<?, ?>> list() {
		synchronized (this.pipelines) {
			return List.copyOf(this.pipelines);
		}
	}

	/** Closes every open pipeline, ending its run; idempotent. */
	public void closeAll() {
		List<Pipeline<?, ?>> open;
		synchronized (this.pipelines) {
			open = new ArrayList<>(this.pipelines);
		}
		RuntimeException failure = null;
		for (Pipeline<?, ?> pipeline : open) {
			try {
				pipeline.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** The listener that keeps this registry up to date; added to every pipeline the factory builds. */
	PipelineListener registrar() {
		return this.registrar;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.applicationContext) {
			closeAll();
		}
	}

	/** Before executors react to the context closing, so runs end while their threads still work. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void destroy() {
		closeAll();
	}

}
