package dev.locker.core.config;

import java.util.Optional;

/** The languages the locker speaks, by their BCP 47 tags. */
public enum Language {
  ZH_HANS("zh-Hans"),
  ZH_HANT("zh-Hant"),
  EN("en");

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }

  public static Optional<Language> fromTag(String tag) {
    for (Language language : values()) {
      if (language.tag.equals(tag)) {
        return Optional.of(language);
      }
    }
    return Optional.empty();
  }
}
