// Whether the page is at phone width, where the friends panel is a drawer (as in app.css).
import { useEffect, useState } from "preact/hooks";

export const NARROW_QUERY = "(max-width: 720px)";

/** False on the server and during hydration; then follows the window's width. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const query = matchMedia(NARROW_QUERY);
    const follow = () => setNarrow(query.matches);
    follow();
    query.addEventListener("change", follow);
    return () => query.removeEventListener("change", follow);
  }, []);
  return narrow;
}
