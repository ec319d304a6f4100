import { Layout } from './layout.tsx';

/** A page that only says something: not found, refused, or a failure without details. */
export function MessagePage(props: { title: string; message: string; bare?: boolean }) {
  return (
    <Layout title={props.title} bare={props.bare ?? false} error={props.message}>
      <p><a href="/console">Back to the overview</a></p>
    </Layout>
  );
}
