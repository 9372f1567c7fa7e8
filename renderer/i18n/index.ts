// A tiny typed translator: t(key, params) looks the key up in the current language and fills
// `{name}` parameters. The language follows navigator.language unless the user picked one.
import { create } from 'zustand';
import { en, type MessageKey } from './en';
import { ko } from './ko';

export type Language = 'en' | 'ko';
export type LanguageChoice = Language | 'auto';
export type { MessageKey };

const tables: Record<Language, Record<MessageKey, string>> = { en, ko };
const STORAGE_KEY = 'hearth.language';

export function systemLanguage(): Language {
  const tag = (typeof navigator !== 'undefined' && navigator.language) || 'en';
  return tag.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

function storedChoice(): LanguageChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (value === 'en' || value === 'ko') return value;
  } catch {
    // Storage can be unavailable (private windows); the system language is a fine default.
  }
  return 'auto';
}

interface LanguageStore {
  choice: LanguageChoice;
  language: Language;
  choose(choice: LanguageChoice): void;
}

export const useLanguage = create<LanguageStore>((set) => {
  const choice = storedChoice();
  return {
    choice,
    language: choice === 'auto' ? systemLanguage() : choice,
    choose(next) {
      try {
        if (next === 'auto') localStorage.removeItem(STORAGE_KEY);
        else localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Not persisted, still applied for this session.
      }
      const language = next === 'auto' ? systemLanguage() : next;
      document.documentElement.lang = language;
      set({ choice: next, language });
    },
  };
});

export type Params = Record<string, string | number>;

export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = tables[language][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** For code outside React: the current language at the time of the call. */
export function t(key: MessageKey, params?: Params): string {
  return translate(useLanguage.getState().language, key, params);
}

export type Translate = (key: MessageKey, params?: Params) => string;

/** For components: re-renders when the language changes. */
export function useT(): Translate {
  const language = useLanguage((s) => s.language);
  return (key, params) => translate(language, key, params);
}
