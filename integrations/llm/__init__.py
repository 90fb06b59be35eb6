"""Stage 2 adapters: any OpenAI-compatible chat-completions API (OpenAI, DeepSeek, OpenRouter, Ollama, vLLM ...)."""
