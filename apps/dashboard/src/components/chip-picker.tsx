// Picks several names from a long list (100 pools fit): chosen ones as removable chips, the rest in a select.

export function ChipPicker(props: {
  label: string;
  name: string;
  options: readonly string[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
}) {
  const rest = props.options.filter((o) => !props.chosen.includes(o));
  return (
    <fieldset class="chips">
      <legend>{props.label}</legend>
      {props.chosen.map((name) => (
        <button
          key={name}
          type="button"
          class="chip"
          aria-label={`Remove ${name}`}
          onClick={() => props.onChange(props.chosen.filter((c) => c !== name))}
        >
          {name} ×
        </button>
      ))}
      <select
        name={props.name}
        aria-label={`Add to ${props.label}`}
        value=""
        onChange={(e) => {
          const value = e.currentTarget.value;
          e.currentTarget.value = '';
          if (value) props.onChange([...props.chosen, value]);
        }}
      >
        <option value="">+ add</option>
        {rest.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
