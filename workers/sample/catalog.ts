/** The sample's world: where customers are, what they buy, how. Weights are relative. */

export interface Country {
  /** ISO 3166-1 alpha-2, as in the query-language examples (`"FR"`, `"US"`). */
  code: string;
  /** ISO 3166-1 English short name. */
  name: string;
  region: string;
  cities: readonly string[];
  weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', name: 'United States of America', region: 'North America', cities: ['New York', 'Chicago', 'San Francisco', 'Austin'], weight: 24 },
  { code: 'CA', name: 'Canada', region: 'North America', cities: ['Toronto', 'Montréal', 'Vancouver'], weight: 5 },
  { code: 'MX', name: 'Mexico', region: 'Latin America', cities: ['Mexico City', 'Guadalajara', 'Monterrey'], weight: 4 },
  { code: 'BR', name: 'Brazil', region: 'Latin America', cities: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte'], weight: 5 },
  { code: 'GB', name: 'United Kingdom of Great Britain and Northern Ireland', region: 'Europe', cities: ['London', 'Manchester', 'Edinburgh'], weight: 9 },
  { code: 'FR', name: 'France', region: 'Europe', cities: ['Paris', 'Lyon', 'Marseille', 'Toulouse'], weight: 8 },
  { code: 'DE', name: 'Germany', region: 'Europe', cities: ['Berlin', 'München', 'Hamburg', 'Köln'], weight: 9 },
  { code: 'ES', name: 'Spain', region: 'Europe', cities: ['Madrid', 'Barcelona', 'Sevilla'], weight: 4 },
  { code: 'IT', name: 'Italy', region: 'Europe', cities: ['Roma', 'Milano', 'Napoli'], weight: 4 },
  { code: 'NL', name: 'Netherlands', region: 'Europe', cities: ['Amsterdam', 'Rotterdam', 'Utrecht'], weight: 3 },
  { code: 'SE', name: 'Sweden', region: 'Europe', cities: ['Stockholm', 'Göteborg', 'Malmö'], weight: 2 },
  { code: 'JP', name: 'Japan', region: 'Asia Pacific', cities: ['Tokyo', 'Osaka', 'Nagoya'], weight: 7 },
  { code: 'IN', name: 'India', region: 'Asia Pacific', cities: ['Mumbai', 'Bengaluru', 'Delhi'], weight: 5 },
  { code: 'AU', name: 'Australia', region: 'Asia Pacific', cities: ['Sydney', 'Melbourne', 'Brisbane'], weight: 4 },
  { code: 'ZA', name: 'South Africa', region: 'Middle East & Africa', cities: ['Johannesburg', 'Cape Town', 'Durban'], weight: 2 },
];

export interface Product {
  name: string;
  /** Typical unit price. */
  price: number;
}

export interface Category {
  name: string;
  /** Share of the price the goods cost us. */
  costRatio: number;
  /** Extra weight in November and December. */
  holidayBoost: number;
  /** How often lines of this category come back. */
  returnRate: number;
  weight: number;
  products: readonly Product[];
}

export const CATEGORIES: readonly Category[] = [
  { name: 'Electronics', costRatio: 0.72, holidayBoost: 1.9, returnRate: 0.06, weight: 16, products: [
    { name: 'Noise-cancelling headphones', price: 249 }, { name: 'Smartphone', price: 699 }, { name: '27" monitor', price: 329 },
    { name: 'Wireless mouse', price: 39 }, { name: 'Laptop', price: 1199 }, { name: 'USB-C hub', price: 59 } ] },
  { name: 'Furniture', costRatio: 0.58, holidayBoost: 1.1, returnRate: 0.04, weight: 8, products: [
    { name: 'Office chair', price: 289 }, { name: 'Standing desk', price: 549 }, { name: 'Bookcase', price: 149 },
    { name: 'Floor lamp', price: 89 }, { name: 'Sofa', price: 899 } ] },
  { name: 'Office Supplies', costRatio: 0.45, holidayBoost: 0.9, returnRate: 0.02, weight: 18, products: [
    { name: 'Notebook pack', price: 12 }, { name: 'Gel pens (12)', price: 9 }, { name: 'Printer paper', price: 24 },
    { name: 'Desk organizer', price: 19 }, { name: 'Stapler', price: 15 } ] },
  { name: 'Clothing', costRatio: 0.4, holidayBoost: 1.5, returnRate: 0.11, weight: 15, products: [
    { name: 'Rain jacket', price: 119 }, { name: 'Running shoes', price: 129 }, { name: 'Wool sweater', price: 79 },
    { name: 'T-shirt', price: 19 }, { name: 'Jeans', price: 69 } ] },
  { name: 'Toys', costRatio: 0.5, holidayBoost: 2.6, returnRate: 0.03, weight: 9, products: [
    { name: 'Building blocks set', price: 59 }, { name: 'Board game', price: 35 }, { name: 'Plush bear', price: 22 },
    { name: 'Remote-control car', price: 79 } ] },
  { name: 'Books', costRatio: 0.6, holidayBoost: 1.6, returnRate: 0.02, weight: 12, products: [
    { name: 'Novel', price: 18 }, { name: 'Cookbook', price: 29 }, { name: 'Travel guide', price: 24 },
    { name: 'Art book', price: 45 } ] },
  { name: 'Sports', costRatio: 0.55, holidayBoost: 1.2, returnRate: 0.05, weight: 10, products: [
    { name: 'Yoga mat', price: 35 }, { name: 'Road bike', price: 1099 }, { name: 'Tennis racket', price: 149 },
    { name: 'Dumbbell set', price: 89 } ] },
  { name: 'Home & Kitchen', costRatio: 0.52, holidayBoost: 1.4, returnRate: 0.04, weight: 12, products: [
    { name: 'Espresso machine', price: 399 }, { name: 'Chef knife', price: 89 }, { name: 'Cookware set', price: 199 },
    { name: 'Blender', price: 129 }, { name: 'Towel set', price: 39 } ] },
];

export const SEGMENTS = ['Consumer', 'Corporate', 'Small Business'] as const;
export const SEGMENT_WEIGHTS = [62, 23, 15] as const;

export const CHANNELS = ['Online', 'Retail Store', 'Marketplace', 'Phone'] as const;

/** Online grows over the years at the expense of shops; index 0 is 2021. */
export function channelWeights(yearIndex: number): number[] {
  return [40 + 6 * yearIndex, 38 - 5 * yearIndex, 15 + yearIndex, 7 - yearIndex * 0.8];
}

export const DISCOUNTS = [0, 0.05, 0.1, 0.15, 0.2, 0.3] as const;
export const DISCOUNT_WEIGHTS = [60, 14, 12, 7, 5, 2] as const;

/** Relative sales by month (January first): summer lull, holiday peak. */
export const MONTH_SEASONALITY = [0.82, 0.8, 0.92, 0.95, 1.0, 0.93, 0.86, 0.88, 1.0, 1.05, 1.35, 1.6] as const;

/** Relative sales by weekday (Sunday first). */
export const WEEKDAY_SEASONALITY = [0.8, 1.05, 1.08, 1.08, 1.06, 1.12, 0.9] as const;
